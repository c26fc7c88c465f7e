using JobServer.Jobs;
using JobServer.Sdk;

namespace JobServer.Workers;

/// <summary>
/// A long-lived worker of its own for some process jobs, instead of a pooled one: a Spark context's process hosts
/// the <c>spark.run</c> jobs posted to it (Spark/Contexts). The worker is shared by several jobs, so a job there
/// that ignores its abort is not stopped by killing the worker.
/// </summary>
internal interface IWorkerPlacement
{
    /// <summary>The job's run in a worker of this placement, or null when the job runs in a pooled worker.</summary>
    Task<JobOutcome>? TryRun(Job job, IJobContext context, IJobCalls calls);

    /// <summary>Whether the job runs (or would run) in a worker of this placement.</summary>
    bool Places(Job job);
}
