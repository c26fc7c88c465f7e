using JobServer.Sdk;

namespace JobServer.Bench.Plugin;

/// <summary>
/// <c>bench.*</c>: jobs that do nothing, so a benchmark measures the job engine (submit, queue, state changes,
/// storage, events) and not the work.
/// </summary>
[Namespace("bench")]
public sealed class BenchService : Service
{
    /// <summary>A job that returns at once.</summary>
    [Job]
    public void Noop(IJobContext job)
    {
    }

    /// <summary>
    /// A job that returns at once while holding the lock <c>bench:{key}</c>. The lock queue is made effectively
    /// unbounded: with the default of 5 the daemon would fold most of a burst into already waiting jobs, and the
    /// benchmark would count fewer jobs than it submitted.
    /// </summary>
    [Job(Lock = "bench:{0}", LockQueueSize = 1_000_000)]
    public void Locked(IJobContext job, string key)
    {
    }

    /// <summary>A job that returns at once in a worker process: the cost of running a body out of process.</summary>
    [Job(Process = true)]
    public void ProcessNoop(IJobContext job)
    {
    }
}
