using JobServer.Jobs;
using JobServer.Sdk.Errors;
using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>A store that fails and a runner that breaks: callers learn it, nothing is announced, nothing leaks.</summary>
public sealed class JobManagerFailureTests
{
    /// <summary>A plain user with a quota of one unfinished job: a leaked reservation would refuse the next call.</summary>
    private static readonly JobCaller Bob = new("s-bob", "bob", [], null);

    private static JobsOptions OneJobEach() => new() { MaxUnfinishedJobsPerUser = 1, MaxRunning = 1 };

    [Fact]
    public async Task CreationFails_JobStartingAtOnce_CallerGetsTheErrorNoEventLockSlotAndQuotaFreed()
    {
        await using var engine = new EngineHarness(OneJobEach(), autoSucceed: true);
        engine.Store.FailWhen = row => row.Id == 1;

        var failing = () => engine.SubmitAsync("OnX", "[1]", Bob);

        await failing.Should().ThrowAsync<IOException>();
        engine.Bus.Events.Should().BeEmpty();
        engine.Runner.StartOrder.Should().BeEmpty();
        engine.Store.FailWhen = null;
        var next = await engine.SubmitAsync("OnX", "[2]", Bob); // Same lock, same user, the only slot.
        await engine.Bus.WaitForStateAsync(next.Id, "SUCCESS");
    }

    [Fact]
    public async Task CreationFails_JobThatWouldWait_CallerGetsTheErrorNoEventAndItNeverRuns()
    {
        await using var engine = new EngineHarness(new JobsOptions { MaxUnfinishedJobsPerUser = 2 });
        var holder = await engine.SubmitAsync("OnX", "[1]", Bob);
        engine.Store.FailWhen = row => row.Id == 2;

        var failing = () => engine.SubmitAsync("OnX", "[2]", Bob);

        await failing.Should().ThrowAsync<IOException>();
        engine.Store.FailWhen = null;
        var third = await engine.SubmitAsync("OnX", "[3]", Bob); // Bob's second unfinished job: the failed one left no count.
        engine.Runner.Succeed(holder.Id);
        await engine.Runner.WaitStartedAsync(third.Id);
        engine.Runner.StartOrder.Should().Equal(holder.Id, third.Id);
        engine.Bus.Events.Should().NotContain(e => e.Id == 2);
    }

    [Fact]
    public async Task FinishFails_NotAnnouncedButTheLockGoesToTheNextJob()
    {
        await using var engine = new EngineHarness();
        var first = await engine.SubmitAsync("OnX", "[1]");
        var second = await engine.SubmitAsync("OnX", "[2]");
        engine.Store.FailWhen = row => row.Id == first.Id && row.State == "SUCCESS";

        engine.Runner.Succeed(first.Id);

        await engine.Runner.WaitStartedAsync(second.Id);
        await first.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10));
        engine.Store.Failures.Should().Be(1);
        engine.Bus.StatesOf(first.Id).Should().Equal("Added:WAITING", "Changed:RUNNING");
        engine.Store.Rows[first.Id].State.Should().Be("RUNNING", "the row keeps its last committed state");
        first.EndCommitted.Should().BeFalse("a reader promising durability must not answer SUCCESS from memory");
    }

    [Fact]
    public async Task FinishCommits_EndCommittedIsSetBeforeFinishedCompletes()
    {
        await using var engine = new EngineHarness();
        var job = await engine.SubmitAsync("OnX", "[1]");
        await engine.Runner.WaitStartedAsync(job.Id);
        job.EndCommitted.Should().BeFalse();

        engine.Runner.Succeed(job.Id);
        await job.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10));

        job.EndCommitted.Should().BeTrue();
        engine.Store.Rows[job.Id].State.Should().Be("SUCCESS");
    }

    [Fact]
    public async Task RunnerCrashes_JobFailsAndTheLockGoesToTheNextJob()
    {
        await using var engine = new EngineHarness();
        var first = await engine.SubmitAsync("OnX", "[1]");
        var second = await engine.SubmitAsync("OnX", "[2]");
        await engine.Runner.WaitStartedAsync(first.Id);

        engine.Runner.Crash(first.Id);

        var failed = await engine.Bus.WaitForStateAsync(first.Id, "FAILED");
        failed.Fields["error"]!.GetValue<string>().Should().Contain("runner crashed");
        await engine.Runner.WaitStartedAsync(second.Id);
    }

    [Fact]
    public async Task QuotaReached_NextCallRefusedWithEbusy()
    {
        await using var engine = new EngineHarness(OneJobEach());
        await engine.SubmitAsync("Free", caller: Bob);

        var refused = () => engine.SubmitAsync("Free", caller: Bob);

        (await refused.Should().ThrowAsync<CallError>()).Which.Errno.Should().Be(Errno.EBUSY);
    }
}
