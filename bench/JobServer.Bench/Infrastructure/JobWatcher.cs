using System.Collections.Concurrent;
using System.Diagnostics;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// A connection subscribed to <c>core.get_jobs</c> that notes when each job was first seen RUNNING and when it
/// reached a terminal state (Stopwatch timestamps on arrival). Events may arrive before the submitter has the
/// job's id, so everything is recorded and looked up afterwards.
/// </summary>
internal sealed class JobWatcher : IAsyncDisposable
{
    private readonly DdpBenchClient _client;
    private readonly ConcurrentDictionary<long, long> _running = new();
    private readonly ConcurrentDictionary<long, (string State, long At)> _finished = new();

    private JobWatcher(DdpBenchClient client)
    {
        _client = client;
        client.OnEvent = Record;
    }

    public static async Task<JobWatcher> StartAsync(Uri uri)
    {
        var client = await DdpBenchClient.ConnectAsync(uri);
        try
        {
            await client.LoginAsync();
            await JobEngine.EnsureAvailableAsync(client);
            var watcher = new JobWatcher(client);
            await JobEngine.SubscribeJobsAsync(client);
            return watcher;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public DdpBenchClient Client => _client;

    public bool TryGetRunning(long jobId, out long at) => _running.TryGetValue(jobId, out at);

    private void Record(DdpEvent e)
    {
        if (e.Collection != "core.get_jobs" || e.Id < 0)
        {
            return;
        }

        switch (e.State)
        {
            case "RUNNING":
                _running.TryAdd(e.Id, e.ReceivedAt);
                break;
            case "SUCCESS" or "FAILED" or "ABORTED":
                _finished.TryAdd(e.Id, (e.State, e.ReceivedAt));
                break;
        }
    }

    /// <summary>
    /// Waits until every job in <paramref name="jobIds"/> reached a terminal state and returns when the last one
    /// did (its event's arrival time, so the polling here costs no precision). Fails on FAILED/ABORTED.
    /// </summary>
    public async Task<long> WaitFinishedAsync(IReadOnlyCollection<long> jobIds, TimeSpan timeout)
    {
        var remaining = new HashSet<long>(jobIds);
        var last = 0L;
        var failed = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            remaining.RemoveWhere(id =>
            {
                if (!_finished.TryGetValue(id, out var done))
                {
                    return false;
                }

                last = Math.Max(last, done.At);
                failed += done.State == "SUCCESS" ? 0 : 1;
                return true;
            });
            if (remaining.Count == 0)
            {
                return failed == 0 ? last : throw new InvalidOperationException($"{failed} of {jobIds.Count} jobs did not succeed");
            }

            if (!_client.IsOpen)
            {
                throw new InvalidOperationException($"the core.get_jobs subscriber was disconnected ({_client.CloseReason}) with {remaining.Count} jobs unfinished");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{remaining.Count} of {jobIds.Count} jobs did not finish within {timeout.TotalSeconds:N0} s");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>Forgets what was recorded (between rounds), keeping memory flat.</summary>
    public void Clear()
    {
        _running.Clear();
        _finished.Clear();
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
