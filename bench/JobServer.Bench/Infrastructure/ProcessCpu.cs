using System.Globalization;

namespace JobServer.Bench.Infrastructure;

/// <summary>CPU time from <c>/proc/&lt;pid&gt;/stat</c> that <see cref="System.Diagnostics.Process"/> does not give.</summary>
internal static class ProcessCpu
{
    /// <summary>Linux reports these times in clock ticks of 1/100 s (USER_HZ) on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>
    /// The CPU time of the processes <paramref name="pid"/> started and has waited for (cutime + cstime): what the
    /// commands a daemon runs cost, which its own CPU time leaves out. Zero where /proc is not readable.
    /// </summary>
    public static TimeSpan ReapedChildren(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; the fields after it are space-separated, state first.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }
}
