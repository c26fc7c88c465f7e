namespace JobServer.Jobs;

/// <summary>
/// The other daemons of a cluster, as the manager needs them for a job that one of them runs (issue 18): the
/// unfinished job is in the shared store but not active here. <c>Cluster/PostgresJobPeers</c> on PostgreSQL; on
/// SQLite one daemon runs every job, so the manager never asks.
/// </summary>
internal interface IJobPeers
{
    /// <summary>
    /// Asks whichever node runs job <paramref name="id"/> to abort it, as if aborted there (the caller's rights
    /// were checked here, on the stored row). Returns once the request is sent, not once the job stopped — as a
    /// local abort returns before a running job's body stopped.
    /// </summary>
    Task RequestAbortAsync(long id, string reason, CancellationToken cancellationToken);
}
