using JobServer.Jobs;
using JobServer.Registry;

namespace JobServer.Cluster;

/// <summary>
/// The <see cref="IJobAdopter"/> of the daemon: the job manager, with the registry the jobs are bound by; the
/// relay of the other nodes' changes forgets the jobs, now this node's own.
/// </summary>
internal sealed class ManagerJobAdopter(JobManager jobs, MethodRegistry registry, PostgresJobChangeFeed feed)
    : IJobAdopter
{
    public Task AdoptAsync(NodeTakeover takeover, CancellationToken cancellationToken)
    {
        feed.Adopted(takeover.Jobs.Select(j => j.Id));
        return jobs.AdoptAsync(takeover.Node, takeover.Jobs, registry);
    }
}
