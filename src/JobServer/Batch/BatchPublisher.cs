namespace JobServer.Batch;

/// <summary>
/// Tells the world about committed changes, in commit order: each job's newest state to its watchers (one object
/// per job per commit — the intermediate states of a commit were stored together, and a watcher is promised
/// whole objects, not every one), then the destinations whose next task may now be due.
/// </summary>
internal sealed class BatchPublisher(BatchJobWatchers watchers)
{
    /// <summary>
    /// Destinations that got new tasks or finished one, with the tasks withdrawn from their agents (canceled or
    /// timed out while pushed; <see cref="BatchWrite.Withdrawn"/>). <see cref="BatchDelivery"/> listens.
    /// </summary>
    public event Action<IReadOnlyCollection<string>, IReadOnlyDictionary<string, long>>? DestinationsChanged;

    /// <summary>A job reached its final status (its timeout is no longer needed).</summary>
    public event Action<long>? JobSettled;

    /// <summary>Names destinations that got new tasks (a job was admitted).</summary>
    public void Announce(IReadOnlyCollection<string> destinations)
    {
        Announce(destinations, NoneWithdrawn);
    }

    private static readonly IReadOnlyDictionary<string, long> NoneWithdrawn = new Dictionary<string, long>();

    private void Announce(IReadOnlyCollection<string> destinations, IReadOnlyDictionary<string, long> withdrawn)
    {
        if (destinations.Count > 0)
        {
            DestinationsChanged?.Invoke(destinations, withdrawn);
        }
    }

    public void Publish(IReadOnlyList<BatchWrite> committed)
    {
        var newest = new Dictionary<long, BatchJobSnapshot>();
        var order = new List<long>();
        HashSet<string>? freed = null;
        Dictionary<string, long>? withdrawn = null;
        foreach (var write in committed)
        {
            if (write.Published is { } job)
            {
                if (!newest.ContainsKey(job.Id))
                {
                    order.Add(job.Id);
                }

                newest[job.Id] = job;
            }

            if (write.FreedDestinations.Count > 0)
            {
                freed ??= new HashSet<string>(StringComparer.Ordinal);
                freed.UnionWith(write.FreedDestinations);
            }

            foreach (var (destination, taskId) in write.Withdrawn)
            {
                (withdrawn ??= new Dictionary<string, long>(StringComparer.Ordinal))[destination] = taskId;
            }
        }

        foreach (var id in order)
        {
            var job = newest[id];
            watchers.Publish(job);
            if (job.IsFinal)
            {
                JobSettled?.Invoke(id);
            }
        }

        if (freed is not null)
        {
            Announce(freed, withdrawn ?? NoneWithdrawn);
        }
    }
}
