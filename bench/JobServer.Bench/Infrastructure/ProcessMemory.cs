using System.Globalization;

namespace JobServer.Bench.Infrastructure;

/// <summary>A process's memory from <c>/proc/&lt;pid&gt;</c> (Linux only; null elsewhere).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in KiB: resident now.</summary>
    public static long? ResidentKiB(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>VmHWM in KiB: the resident peak since the start or the last <see cref="ResetPeak"/>.</summary>
    public static long? PeakKiB(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>
    /// Resets VmHWM to the current VmRSS (writing 5 to <c>clear_refs</c>, Linux ≥ 4.0), so a later
    /// <see cref="PeakKiB"/> is the peak of what ran since. Returns false where that is not possible.
    /// </summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? StatusField(int pid, string field)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var digits = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
