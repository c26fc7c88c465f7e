using JobServer.Sdk;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>Job methods for driving the manager; their bodies never run (the fake runner stands in for them).</summary>
[Namespace("enginetest")]
public sealed class EngineTestJobs : Service
{
    [Job]
    public Task Free(IJobContext job) => Task.CompletedTask;

    [Job(Lock = "x", LockQueueSize = 0)]
    public Task OnX(IJobContext job, int n) => Task.CompletedTask;

    [Job(Lock = "y", LockQueueSize = 0)]
    public Task OnY(IJobContext job) => Task.CompletedTask;

    [Job(Lock = "q", LockQueueSize = 2)]
    public Task OnShortQueue(IJobContext job, int n) => Task.CompletedTask;

    [Job(Transient = true)]
    public Task Fleeting(IJobContext job) => Task.CompletedTask;
}
