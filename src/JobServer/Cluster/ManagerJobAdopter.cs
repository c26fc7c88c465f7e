using JobServer.Jobs;
using JobServer.Registry;

namespace JobServer.Cluster;

/// <summary>The <see cref="IJobAdopter"/> of the daemon: the job manager, with the registry the jobs are bound by.</summary>
internal sealed class ManagerJobAdopter(JobManager jobs, MethodRegistry registry) : IJobAdopter
{
    public Task AdoptAsync(NodeTakeover takeover, CancellationToken cancellationToken) =>
        jobs.AdoptAsync(takeover.Node, takeover.Jobs, registry);
}
