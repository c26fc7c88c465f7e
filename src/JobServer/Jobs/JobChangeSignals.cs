using System.Collections.Concurrent;

namespace JobServer.Jobs;

/// <summary>
/// Wakes whoever waits for a job this daemon does not run (in a cluster: a job on another node) when an event of
/// that job passes through this daemon's <see cref="IJobEventBus"/> — the other nodes' events are relayed into it,
/// and so are a taken-over job's. The waiter then re-reads the row: the signal says only "look again".
/// </summary>
internal sealed class JobChangeSignals
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _waiting = new();

    /// <summary>Completes at the next event of job <paramref name="id"/> after this call.</summary>
    public Task NextChangeAsync(long id) =>
        _waiting.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task;

    /// <summary>An event of job <paramref name="id"/> was published; nearly free when nobody waits.</summary>
    public void Changed(long id)
    {
        if (!_waiting.IsEmpty && _waiting.TryRemove(id, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
