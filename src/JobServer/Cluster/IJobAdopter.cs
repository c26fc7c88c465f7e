namespace JobServer.Cluster;

/// <summary>
/// Takes over a stopped node's unfinished jobs on this node (the <see cref="Jobs.JobManager"/>): running ones
/// fail — or are queued again when their method is resumable — and waiting ones are queued here.
/// </summary>
internal interface IJobAdopter
{
    Task AdoptAsync(NodeTakeover takeover, CancellationToken cancellationToken);
}
