using JobServer.Registry;

namespace JobServer.Jobs;

/// <summary>
/// Which runner runs a job method: the in-process runner, the only one today. When worker processes arrive
/// (<c>[Job(Process = true)]</c>) a method that declares it goes to the worker runner and a remote agent's tasks to
/// the agent runner; every other method — among them the built-in jobs that need the daemon's internals
/// (<c>core.bulk</c>, transfers, <c>exec</c>'s child bookkeeping) — stays in-process because it does not declare
/// otherwise.
/// </summary>
/// <param name="inProcess">The runner of in-process jobs (<see cref="InProcessJobRunner"/> in the daemon).</param>
internal sealed class JobRunners(IJobRunner inProcess)
{
    public IJobRunner For(MethodDescriptor method) => inProcess;
}
