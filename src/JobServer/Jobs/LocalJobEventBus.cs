using JobServer.Events;

namespace JobServer.Jobs;

/// <summary>
/// Publishes job events to this daemon's subscribers (the <see cref="EventHub"/> fan-out) and wakes the waits for
/// jobs that run elsewhere (<see cref="JobChangeSignals"/>). In a cluster the other nodes' events come in here too
/// (<c>Cluster/PostgresJobChangeFeed</c>); this daemon's own never leave it this way — the other nodes read them
/// from the table.
/// </summary>
internal sealed class LocalJobEventBus(EventHub events, JobChangeSignals signals) : IJobEventBus
{
    public void Publish(CollectionEvent change)
    {
        events.Publish(change);
        signals.Changed(change.NumericId);
    }
}
