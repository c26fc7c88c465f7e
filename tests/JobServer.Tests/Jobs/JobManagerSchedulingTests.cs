using JobServer.Jobs;
using JobServer.Sdk.Errors;
using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>The scheduler's rules seen through the manager: FIFO per lock, overtaking, LockQueueSize, the cap.</summary>
public sealed class JobManagerSchedulingTests
{
    [Fact]
    public async Task SameLock_JobsRunOneAtATimeInArrivalOrder()
    {
        await using var engine = new EngineHarness();
        var first = await engine.SubmitAsync("OnX", "[1]");
        var second = await engine.SubmitAsync("OnX", "[2]");
        var third = await engine.SubmitAsync("OnX", "[3]");
        await engine.Runner.WaitStartedAsync(first.Id);

        engine.Runner.HasStarted(second.Id).Should().BeFalse();
        engine.Runner.Succeed(first.Id);
        await engine.Runner.WaitStartedAsync(second.Id);
        engine.Runner.HasStarted(third.Id).Should().BeFalse("the lock is still held by the second job");
        engine.Runner.Succeed(second.Id);
        await engine.Runner.WaitStartedAsync(third.Id);

        engine.Runner.StartOrder.Should().Equal(first.Id, second.Id, third.Id);
    }

    [Fact]
    public async Task FreeLock_OvertakesAJobWaitingOnAnotherLock()
    {
        await using var engine = new EngineHarness();
        var holder = await engine.SubmitAsync("OnX", "[1]");
        // A start is recorded asynchronously: without this wait the holder may be seen starting after the other.
        await engine.Runner.WaitStartedAsync(holder.Id);
        var blocked = await engine.SubmitAsync("OnX", "[2]");

        var other = await engine.SubmitAsync("OnY");
        await engine.Runner.WaitStartedAsync(other.Id);

        engine.Runner.HasStarted(blocked.Id).Should().BeFalse();
        engine.Runner.StartOrder.Should().Equal(holder.Id, other.Id);
    }

    [Fact]
    public async Task LockQueueFull_SameCallJoinsTheWaitingJob_OtherCallIsRefused()
    {
        await using var engine = new EngineHarness();
        var running = await engine.SubmitAsync("OnShortQueue", "[1]");
        await engine.Runner.WaitStartedAsync(running.Id);
        var second = await engine.SubmitAsync("OnShortQueue", "[2]");
        await engine.SubmitAsync("OnShortQueue", "[3]");

        var refused = () => engine.SubmitAsync("OnShortQueue", "[4]");
        var joined = await engine.SubmitAsync("OnShortQueue", "[2]", messageId: "again");

        (await refused.Should().ThrowAsync<CallError>()).Which.Errno.Should().Be(Errno.EBUSY);
        joined.Id.Should().Be(second.Id);
        var change = await engine.Bus.WaitForAsync(e => e.Id == second.Id && e.Kind == Sdk.EventKind.Changed);
        change.Fields["message_ids"]!.AsArray().Select(m => m?.GetValue<string>()).Should().Contain("again");
        engine.Store.Rows.Keys.Should().HaveCount(3, "neither the refused nor the joined call made a job");
    }

    [Fact]
    public async Task GlobalCap_LaterJobWaitsForASlot()
    {
        await using var engine = new EngineHarness(new JobsOptions { MaxRunning = 1 });
        var first = await engine.SubmitAsync("Free");
        var second = await engine.SubmitAsync("Free");
        await engine.Runner.WaitStartedAsync(first.Id);

        engine.Runner.HasStarted(second.Id).Should().BeFalse();
        engine.Runner.Succeed(first.Id);
        await engine.Runner.WaitStartedAsync(second.Id);
    }

    [Fact]
    public async Task Scheduler_HandsOverAJobClaimedOnItsOwn_ManagerRunsIt()
    {
        var scheduler = new HoldingJobScheduler();
        await using var engine = new EngineHarness(scheduler: scheduler, autoSucceed: true);
        var job = await engine.SubmitAsync("Free");
        scheduler.IsQueued(job.Id).Should().BeTrue();
        engine.Runner.HasStarted(job.Id).Should().BeFalse();

        // A start that follows none of the manager's calls: the cluster scheduler's claim loop.
        await Task.Run(() => scheduler.Claim(job.Id));
        await engine.Bus.WaitForStateAsync(job.Id, "SUCCESS");

        engine.Bus.StatesOf(job.Id).Should().Equal("Added:WAITING", "Changed:RUNNING", "Changed:SUCCESS");
        scheduler.Released.Should().Equal(job.Id);
    }
}
