namespace JobServer.Probes;

/// <summary>
/// The lines a daemon process printed, in order (the last <see cref="MaxKept"/>), and a count of its error
/// entries over the whole run: probes promise a log free of unhandled exceptions.
/// </summary>
public sealed class DaemonLog
{
    public const int MaxKept = 20_000;

    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private int _errorEntries;

    /// <summary>Entries logged at Error or Fatal (an unhandled exception, a 500) since the daemon started.</summary>
    public int ErrorEntries
    {
        get
        {
            lock (_gate)
            {
                return _errorEntries;
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits (polling, bounded) until a line matches; false on timeout.</summary>
    public async Task<bool> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!cts.IsCancellationRequested)
        {
            if (Lines.Any(match))
            {
                return true;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return false;
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            // The console format is "[HH:mm:ss LVL] Source: message"; the JSON format is not used by probes.
            if (line.Contains(" ERR] ", StringComparison.Ordinal) || line.Contains(" FTL] ", StringComparison.Ordinal))
            {
                _errorEntries++;
            }

            _lines.Enqueue(line);
            if (_lines.Count > MaxKept)
            {
                _lines.Dequeue();
            }
        }
    }
}
