using JobServer.Events;

namespace JobServer.Jobs;

/// <summary>
/// Where the manager announces a job's committed change (<c>core.get_jobs</c> events). Called in commit order, on
/// the store's side right after the commit (<see cref="IJobStore"/>): it must not block. Local fan-out to the
/// <see cref="EventHub"/> (<see cref="LocalJobEventBus"/>). In a PostgreSQL cluster the other nodes' events are
/// published into it as well (<c>Cluster/PostgresJobChangeFeed</c> reads them from the shared table), so this
/// daemon's subscribers and waits see every node's jobs.
/// </summary>
internal interface IJobEventBus
{
    void Publish(CollectionEvent change);
}
