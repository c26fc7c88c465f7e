namespace JobServer.Bench.Infrastructure;

/// <summary>Reads a process's resident set size from <c>/proc/&lt;pid&gt;/status</c> (Linux only).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in KiB, or null where /proc is not available.</summary>
    public static long? ResidentKiB(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var digits = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
