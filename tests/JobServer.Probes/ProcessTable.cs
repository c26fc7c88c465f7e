using System.Globalization;

namespace JobServer.Probes;

/// <summary>
/// The host's processes as <c>/proc</c> shows them, for probes and tests that check what a daemon left running. A
/// zombie has an empty command line, so it never matches: it has exited and only waits to be reaped.
/// </summary>
public static class ProcessTable
{
    /// <summary>Live processes whose command line (arguments joined by spaces) is exactly <paramref name="commandLine"/>.</summary>
    public static int CountRunning(string commandLine) => Matching(c => c == commandLine).Count;

    /// <summary>Live processes whose command line ends with <paramref name="suffix"/> (a program started by path).</summary>
    public static int CountEndingWith(string suffix) => Matching(c => c.EndsWith(suffix, StringComparison.Ordinal)).Count;

    /// <summary>Pids of live processes whose command line contains <paramref name="fragment"/>.</summary>
    public static List<int> Containing(string fragment) => Matching(c => c.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Every (pid, path) of a file below <paramref name="folder"/> that a live process holds open.</summary>
    public static List<(int Pid, string Path)> OpenFilesUnder(string folder)
    {
        var prefix = Path.GetFullPath(folder) + "/";
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var descriptor in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        found.Add((pid, target));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while listed, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>The start time of a process (<c>/proc/&lt;pid&gt;/stat</c> field 22, clock ticks since boot).</summary>
    public static ulong StartTimeOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return ulong.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    /// <summary>A process's resident memory now (<c>VmRSS</c>) and at its peak so far (<c>VmHWM</c>), in bytes.</summary>
    public static (long Resident, long Peak) MemoryOf(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Kilobytes(string key) => long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return (Kilobytes("VmRSS:"), Kilobytes("VmHWM:"));
    }

    /// <summary>Whether a process has ended: gone, or a zombie its (dead) parent left for init to reap.</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds (no event tells when a process dies); false on timeout.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(25);
        }

        return true;
    }

    private static List<int> Matching(Func<string, bool> predicate)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).TrimEnd('\0').Replace('\0', ' ');
                if (commandLine.Length > 0 && predicate(commandLine))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone while listed.
            }
        }

        return found;
    }
}
