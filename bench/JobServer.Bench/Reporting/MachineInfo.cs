using System.Runtime.InteropServices;

namespace JobServer.Bench.Reporting;

/// <summary>The machine a run measured, for the report header.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var memory = ReadProcLine("/proc/meminfo", "MemTotal:") is { } total
            ? $"{long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0:N1} GiB RAM"
            : "RAM unknown";
        var cpu = ReadProcLine("/proc/cpuinfo", "model name") is { } model ? model.TrimStart(':', ' ', '\t') : RuntimeInformation.ProcessArchitecture.ToString();
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1/5/15-minute load averages: other work on the machine skews every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? ReadProcLine(string path, string prefix)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line?[prefix.Length..].Trim();
    }
}
