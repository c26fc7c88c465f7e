using JobServer.Events;

namespace JobServer.Jobs;

/// <summary>
/// Where the manager announces a job's committed change (<c>core.get_jobs</c> events). Called in commit order, on
/// the store's side right after the commit (<see cref="IJobStore"/>): it must not block. Local fan-out to the
/// <see cref="EventHub"/> today (<see cref="LocalJobEventBus"/>); a PostgreSQL <c>LISTEN/NOTIFY</c> relay, so
/// subscribers on every node see every node's jobs, comes later behind the same interface.
/// </summary>
internal interface IJobEventBus
{
    void Publish(CollectionEvent change);
}
