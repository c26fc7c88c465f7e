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

    // How many ids are waited for: every job event asks, and ConcurrentDictionary.IsEmpty takes all its locks
    // when the dictionary is empty — the usual case.
    private int _waited;

    /// <summary>Completes at the next event of job <paramref name="id"/> after this call.</summary>
    public Task NextChangeAsync(long id)
    {
        while (true)
        {
            if (_waiting.TryGetValue(id, out var waiting))
            {
                return waiting.Task;
            }

            var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_waiting.TryAdd(id, added))
            {
                Interlocked.Increment(ref _waited);
                return added.Task;
            }
        }
    }

    /// <summary>An event of job <paramref name="id"/> was published; one volatile read when nobody waits.</summary>
    public void Changed(long id)
    {
        if (Volatile.Read(ref _waited) > 0 && _waiting.TryRemove(id, out var waiting))
        {
            Interlocked.Decrement(ref _waited);
            waiting.TrySetResult();
        }
    }
}
