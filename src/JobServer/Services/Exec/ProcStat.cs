using System.Globalization;

namespace JobServer.Services.Exec;

/// <summary>
/// The fields of <c>/proc/&lt;pid&gt;/stat</c> that tell which process a pid is now (its start time, in clock ticks
/// since boot: a reused pid has another) and which group and session it belongs to.
/// </summary>
internal readonly record struct ProcStat(int Pid, char State, int ProcessGroup, int Session, ulong StartTime)
{
    /// <summary>A zombie has exited; it only waits for its parent to reap it (and holds nothing open).</summary>
    public bool IsLive => State is not ('Z' or 'X');

    /// <summary>The process's stat now, or null when there is no such process (or it vanished while read).</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(pid, text);
    }

    /// <summary>Every process the daemon may see, as <c>/proc</c> lists them now.</summary>
    public static IEnumerable<ProcStat> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                Read(pid) is { } stat)
            {
                yield return stat;
            }
        }
    }

    internal static ProcStat? Parse(int pid, string text)
    {
        // The command name (field 2) is in parentheses and may itself hold spaces and ')': the fields after it
        // start after the last ')'. They are then: state ppid pgrp session tty_nr tpgid flags minflt cminflt
        // majflt cmajflt utime stime cutime cstime priority nice num_threads itrealvalue starttime (proc(5)).
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 ||
            !int.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var group) ||
            !int.TryParse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var session) ||
            !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var started))
        {
            return null;
        }

        return new ProcStat(pid, fields[0][0], group, session, started);
    }
}
