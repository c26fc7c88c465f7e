using System.Text;
using System.Text.Json.Nodes;
using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// What a job in a worker reports while it runs — progress, description, log text — sent to the daemon by one
/// loop, so <c>SetProgress</c> and log writes never wait for the pipe. Progress is coalesced as in the daemon (the
/// values given last win; the daemon throttles the events); log text is batched, and a job that logs faster than
/// the pipe drains waits once <see cref="MaxPendingLog"/> characters are pending, so memory stays bounded.
/// </summary>
internal sealed class JobReports : IAsyncDisposable
{
    private const int MaxPendingLog = 1024 * 1024;

    private readonly JobLane _channel;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _logRoom = new(0, int.MaxValue);
    private readonly StringBuilder _log = new();
    private Task? _loop;
    private ProgressMessage? _progress;
    private string? _description;
    private bool _ended;
    private int _logWaiters;

    /// <remarks>The send loop starts with the first report: a job that reports nothing (a no-op) costs no task.</remarks>
    public JobReports(JobLane channel) => _channel = channel;

    public void Progress(int? percent, string? description, JsonNode? extra)
    {
        lock (_gate)
        {
            _progress = _progress is null
                ? new ProgressMessage(percent, description, extra?.DeepClone())
                : new ProgressMessage(percent ?? _progress.Percent, description ?? _progress.Description,
                    extra?.DeepClone() ?? _progress.Extra);
        }

        Signal();
    }

    public void Description(string description)
    {
        lock (_gate)
        {
            _description = description;
        }

        Signal();
    }

    public void Log(string text)
    {
        bool wait;
        lock (_gate)
        {
            _log.Append(text);
            wait = _log.Length > MaxPendingLog && !_ended;
            if (wait)
            {
                _logWaiters++;
            }
        }

        Signal();
        if (wait)
        {
            _logRoom.Wait();
        }
    }

    /// <summary>Sends what is pending and stops: the job's last reports precede its <see cref="FrameType.Done"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            _ended = true;
            loop = _loop;
        }

        if (loop is not null)
        {
            Signal();
            await loop;
        }

        _signal.Dispose();
    }

    private void Signal()
    {
        lock (_gate)
        {
            if (_loop is null && !_ended)
            {
                _loop = Task.Run(SendLoopAsync);
            }
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A signal is pending already: the loop will see this report too.
        }
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            await _signal.WaitAsync();
            ProgressMessage? progress;
            string? description;
            string? log;
            bool ended;
            int waiters;
            lock (_gate)
            {
                (progress, _progress) = (_progress, null);
                (description, _description) = (_description, null);
                log = _log.Length > 0 ? _log.ToString() : null;
                _log.Clear();
                ended = _ended;
                (waiters, _logWaiters) = (_logWaiters, 0);
            }

            if (waiters > 0)
            {
                _logRoom.Release(waiters);
            }

            if (description is not null)
            {
                await _channel.WriteTextAsync(FrameType.Description, description);
            }

            if (progress is not null)
            {
                await _channel.WriteJsonAsync(FrameType.Progress, progress, WorkerJson.Default.ProgressMessage);
            }

            for (var start = 0; log is not null && start < log.Length; start += FrameChannel.DataChunk)
            {
                await _channel.WriteTextAsync(FrameType.Log, log.Substring(start, Math.Min(FrameChannel.DataChunk, log.Length - start)));
            }

            if (ended)
            {
                return;
            }
        }
    }
}
