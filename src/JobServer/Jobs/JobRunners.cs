using JobServer.Registry;

namespace JobServer.Jobs;

/// <summary>
/// Which runner runs a job method: a method that declares <c>[Job(Process = true)]</c> goes to the worker-process
/// runner, every other one — among them the built-in jobs that need the daemon's internals (<c>core.bulk</c>,
/// transfers, <c>exec</c>'s child bookkeeping) — stays in-process because it does not declare otherwise. A remote
/// agent's tasks will get their own runner here.
/// </summary>
/// <param name="inProcess">The runner of in-process jobs (<see cref="InProcessJobRunner"/> in the daemon).</param>
/// <param name="process">The runner of process jobs (<c>Workers/ProcessJobRunner</c>), or null where there is none
/// (unit tests of the engine).</param>
internal sealed class JobRunners(IJobRunner inProcess, IJobRunner? process = null)
{
    public IJobRunner For(MethodDescriptor method) =>
        method.Job is { Process: true }
            ? process ?? throw new InvalidOperationException($"{method.Name} runs in a worker process, and there is no worker runner")
            : inProcess;
}
