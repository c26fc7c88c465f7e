namespace JobServer.Jobs;

/// <summary>
/// Coalesces a job's progress updates: at most one flush per interval, and a flush always follows the last
/// update (it reads the job's current progress when it runs, so the last value is never lost).
/// </summary>
internal sealed class ProgressThrottle(TimeProvider time, TimeSpan interval, Action flush) : IDisposable
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastFlush = DateTimeOffset.MinValue;
    private ITimer? _timer;
    private bool _disposed;

    public void Notify()
    {
        lock (_gate)
        {
            if (_disposed || _timer is not null)
            {
                return; // A flush is already scheduled; it will carry this update.
            }

            var wait = _lastFlush + interval - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                _timer = time.CreateTimer(_ => OnTimer(), null, wait, Timeout.InfiniteTimeSpan);
                return;
            }

            _lastFlush = time.GetUtcNow();
        }

        flush();
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_disposed)
            {
                return;
            }

            _lastFlush = time.GetUtcNow();
        }

        flush();
    }

    /// <summary>Stops pending flushes (the job's final change carries its last progress).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
