using JobServer.Jobs;

namespace JobServer.Tests.Jobs;

public sealed class JobQueueTests
{
    private sealed record TestJob(long Id, string? LockName) : IQueuedJob;

    private static long _ids;

    private static TestJob Job(string? lockName = null) => new(Interlocked.Increment(ref _ids), lockName);

    [Fact]
    public void Enqueue_NoLock_StartsAtOnce()
    {
        var queue = new JobQueue<TestJob>(maxRunning: 0);
        var a = Job();
        var b = Job();

        queue.Enqueue(a).Should().Equal(a);
        queue.Enqueue(b).Should().Equal(b);
        queue.RunningCount.Should().Be(2);
    }

    [Fact]
    public void Enqueue_SameLock_RunsOneAtATimeInArrivalOrder()
    {
        var queue = new JobQueue<TestJob>(0);
        var first = Job("x");
        var second = Job("x");
        var third = Job("x");

        queue.Enqueue(first).Should().Equal(first);
        queue.Enqueue(second).Should().BeEmpty();
        queue.Enqueue(third).Should().BeEmpty();
        queue.WaitingCount.Should().Be(2);

        queue.Finish(first).Should().Equal(second);
        queue.Finish(second).Should().Equal(third);
        queue.Finish(third).Should().BeEmpty();
        queue.RunningCount.Should().Be(0);
    }

    [Fact]
    public void Enqueue_FreeLock_OvertakesABlockedJob()
    {
        var queue = new JobQueue<TestJob>(0);
        var holder = Job("a");
        var blocked = Job("a");
        var other = Job("b");

        queue.Enqueue(holder);
        queue.Enqueue(blocked).Should().BeEmpty();

        queue.Enqueue(other).Should().Equal(other);
    }

    [Fact]
    public void GlobalCap_KeepsFifoOrderAmongRunnableJobs()
    {
        var queue = new JobQueue<TestJob>(maxRunning: 1);
        var a = Job();
        var b = Job("l");
        var c = Job();

        queue.Enqueue(a).Should().Equal(a);
        queue.Enqueue(b).Should().BeEmpty();
        queue.Enqueue(c).Should().BeEmpty();

        queue.Finish(a).Should().Equal(b);
        queue.Finish(b).Should().Equal(c);
    }

    [Fact]
    public void GlobalCap_LockedJobReleasedLater_StillGoesInArrivalOrder()
    {
        var queue = new JobQueue<TestJob>(maxRunning: 2);
        var holder = Job("l");
        var filler = Job();
        var blocked = Job("l");
        var later = Job();

        queue.Enqueue(holder);
        queue.Enqueue(filler);
        queue.Enqueue(blocked).Should().BeEmpty();
        queue.Enqueue(later).Should().BeEmpty();

        // The lock frees and a slot frees at once: the older job (blocked) goes first.
        queue.Finish(holder).Should().Equal(blocked);
        queue.Finish(filler).Should().Equal(later);
    }

    [Fact]
    public void FindWaitingToJoin_WhenLimitReached_ReturnsNewestWaiting()
    {
        var queue = new JobQueue<TestJob>(0);
        var running = Job("l");
        var w1 = Job("l");
        var w2 = Job("l");
        queue.Enqueue(running);
        queue.Enqueue(w1);

        queue.FindWaitingToJoin("l", 2, _ => true).Should().BeNull();
        queue.Enqueue(w2);
        queue.FindWaitingToJoin("l", 2, _ => true).Should().Be(w2);
        queue.FindWaitingToJoin("l", 2, j => j == w1).Should().Be(w1);
        queue.FindWaitingToJoin("other", 1, _ => true).Should().BeNull();
    }

    [Fact]
    public void IsLockQueueFull_CountsOnlyTheJobsWaitingOnThatLock()
    {
        var queue = new JobQueue<TestJob>(0);
        queue.Enqueue(Job("l"));
        queue.Enqueue(Job("l"));

        queue.IsLockQueueFull("l", 1).Should().BeTrue();
        queue.IsLockQueueFull("l", 2).Should().BeFalse("the running holder does not wait");
        queue.IsLockQueueFull("other", 1).Should().BeFalse();
    }

    [Fact]
    public void FindWaitingToJoin_CountsAReadyJobBlockedByTheCap()
    {
        var queue = new JobQueue<TestJob>(maxRunning: 1);
        queue.Enqueue(Job());
        var ready = Job("l");
        queue.Enqueue(ready).Should().BeEmpty();

        queue.FindWaitingToJoin("l", 1, _ => true).Should().Be(ready);
    }

    [Fact]
    public void RemoveWaiting_BlockedJob_IsGoneAndOthersKeepTheirOrder()
    {
        var queue = new JobQueue<TestJob>(0);
        var holder = Job("l");
        var aborted = Job("l");
        var next = Job("l");
        queue.Enqueue(holder);
        queue.Enqueue(aborted);
        queue.Enqueue(next);

        queue.RemoveWaiting(aborted).Should().BeEmpty();
        queue.IsWaiting(aborted).Should().BeFalse();

        queue.Finish(holder).Should().Equal(next);
    }

    [Fact]
    public void RemoveWaiting_ReadyJobHoldingTheLock_PassesTheLockOn()
    {
        var queue = new JobQueue<TestJob>(maxRunning: 1);
        var filler = Job();
        var ready = Job("l");
        var blocked = Job("l");
        queue.Enqueue(filler);
        queue.Enqueue(ready);
        queue.Enqueue(blocked);

        queue.RemoveWaiting(ready).Should().BeEmpty(); // the cap is still full
        queue.Finish(filler).Should().Equal(blocked);
    }

    [Fact]
    public void Finish_JobNotRunning_ChangesNothing()
    {
        var queue = new JobQueue<TestJob>(0);
        var holder = Job("l");
        var waiting = Job("l");
        queue.Enqueue(holder);
        queue.Enqueue(waiting);

        queue.Finish(waiting).Should().BeEmpty();
        queue.Finish(holder).Should().Equal(waiting);
        queue.Finish(holder).Should().BeEmpty();
    }

    [Fact]
    public void TryStartAtOnce_FreeLockAndRoom_RunsAndHoldsTheLock()
    {
        var queue = new JobQueue<TestJob>(0);
        var first = Job("l");
        var second = Job("l");

        queue.TryStartAtOnce(first).Should().BeTrue();
        queue.RunningCount.Should().Be(1);

        queue.TryStartAtOnce(second).Should().BeFalse();
        queue.Enqueue(second).Should().BeEmpty();
        queue.Finish(first).Should().Equal(second);
    }

    [Fact]
    public void TryStartAtOnce_HeldLock_ChangesNothing()
    {
        var queue = new JobQueue<TestJob>(0);
        var holder = Job("l");
        var late = Job("l");
        queue.Enqueue(holder);

        queue.TryStartAtOnce(late).Should().BeFalse();

        queue.WaitingCount.Should().Be(0);
        queue.RunningCount.Should().Be(1);
        queue.Finish(holder).Should().BeEmpty();
    }

    [Fact]
    public void TryStartAtOnce_NeverOvertakesAReadyJobOrTheCap()
    {
        var queue = new JobQueue<TestJob>(maxRunning: 1);
        var running = Job();
        var ready = Job();
        var late = Job();
        queue.Enqueue(running);
        queue.Enqueue(ready).Should().BeEmpty();

        queue.TryStartAtOnce(late).Should().BeFalse(); // the cap is full

        queue.Finish(running).Should().Equal(ready);
        queue.TryStartAtOnce(late).Should().BeFalse(); // still full, with the job that was ahead of it
    }
}
