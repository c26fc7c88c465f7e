using System.Collections.Concurrent;
using System.Threading.Channels;

namespace JobServer.Batch;

/// <summary>
/// Who follows a job on <c>/batch/jobs/{id}/ws</c>. Each watcher has a small queue of whole job states that drops
/// the oldest when full: every object is complete, so a slow watcher skips intermediate states but always gets the
/// newest, and the final one is the last ever written (then the queue completes).
/// </summary>
internal sealed class BatchJobWatchers
{
    private const int QueuedSnapshots = 64;

    private readonly ConcurrentDictionary<long, ConcurrentDictionary<Channel<BatchJobSnapshot>, byte>> _watchers = new();

    /// <summary>A queue that receives every later change of the job; dispose the lease to stop.</summary>
    public BatchJobWatch Watch(long jobId)
    {
        var channel = Channel.CreateBounded<BatchJobSnapshot>(new BoundedChannelOptions(QueuedSnapshots)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false,
        });
        _watchers.GetOrAdd(jobId, _ => new()).TryAdd(channel, 0);
        return new BatchJobWatch(channel.Reader, () => Forget(jobId, channel));
    }

    /// <summary>Hands the job's new state to its watchers; after a final one their queues end.</summary>
    public void Publish(BatchJobSnapshot job)
    {
        if (!_watchers.TryGetValue(job.Id, out var channels))
        {
            return;
        }

        foreach (var channel in channels.Keys)
        {
            // Immutable, so every watcher shares the one snapshot.
            channel.Writer.TryWrite(job);
            if (job.IsFinal)
            {
                channel.Writer.TryComplete();
            }
        }
    }

    private void Forget(long jobId, Channel<BatchJobSnapshot> channel)
    {
        channel.Writer.TryComplete();
        if (_watchers.TryGetValue(jobId, out var channels) && channels.TryRemove(channel, out _) && channels.IsEmpty)
        {
            _watchers.TryRemove(new KeyValuePair<long, ConcurrentDictionary<Channel<BatchJobSnapshot>, byte>>(jobId, channels));
        }
    }
}
