using System.ComponentModel;
using JobServer.Sdk;

namespace JobServer.Workers;

/// <summary><c>core.get_workers</c>: the worker processes of process jobs, for operators (and the benchmark).</summary>
[Namespace("core")]
internal sealed class CoreWorkersService(WorkerPool pool) : Service
{
    [Description("The worker processes that run [Job(Process = true)] jobs: pid, state (IDLE or BUSY), the job " +
                 "running, jobs run, when it started, CPU seconds used, resident memory and the memory limit.")]
    public IReadOnlyList<WorkerInfo> GetWorkers() => pool.Snapshot();
}
