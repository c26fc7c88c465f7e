using JobServer.Spark.Contexts;

namespace JobServer.Tests.Spark;

/// <summary>A context's slots: admission before a job exists, release exactly once, run slots and the queue.</summary>
public sealed class SparkContextSlotsTests
{
    [Fact]
    public void TryAdmit_WithoutQueueing_RefusesPastMaxJobs_AndAReleaseFreesASlot()
    {
        using var slots = new SparkContextSlots(maxJobs: 2, queueWhenFull: false, maxQueued: 10);

        var admitted = new[] { slots.TryAdmit(), slots.TryAdmit(), slots.TryAdmit() };
        slots.Release();
        var afterRelease = slots.TryAdmit();

        admitted.Should().Equal(true, true, false);
        afterRelease.Should().BeTrue();
        slots.Admitted.Should().Be(2);
    }

    [Fact]
    public void TryAdmit_WithQueueing_TakesUpToTheQueueBeyondTheSlots()
    {
        using var slots = new SparkContextSlots(maxJobs: 1, queueWhenFull: true, maxQueued: 2);

        var admitted = Enumerable.Range(0, 4).Select(_ => slots.TryAdmit()).ToArray();

        admitted.Should().Equal(true, true, true, false);
    }

    [Fact]
    public void Release_MoreOftenThanAdmitted_IsABug_NotANegativeCount()
    {
        using var slots = new SparkContextSlots(maxJobs: 1, queueWhenFull: false, maxQueued: 0);

        var release = () => slots.Release();

        release.Should().Throw<InvalidOperationException>();
        slots.Admitted.Should().Be(0);
    }

    [Fact]
    public async Task EnterAsync_BeyondMaxJobs_WaitsAsQueued_UntilARunningJobLeaves()
    {
        using var slots = new SparkContextSlots(maxJobs: 1, queueWhenFull: true, maxQueued: 5);
        var first = await slots.EnterAsync(CancellationToken.None);

        var second = slots.EnterAsync(CancellationToken.None);
        var queuedWhileFull = (slots.Running, slots.Queued, second.IsCompleted);
        first.Dispose();
        first.Dispose(); // Leaving twice frees one slot only.
        using var entered = await second.WaitAsync(TimeSpan.FromSeconds(10));

        queuedWhileFull.Should().Be((1, 1, false));
        (slots.Running, slots.Queued).Should().Be((1, 0));
        slots.EnterAsync(CancellationToken.None).IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task EnterAsync_Cancelled_LeavesTheQueue_AndTakesNoSlot()
    {
        using var slots = new SparkContextSlots(maxJobs: 1, queueWhenFull: true, maxQueued: 5);
        using var running = await slots.EnterAsync(CancellationToken.None);
        using var abort = new CancellationTokenSource();

        var waiting = slots.EnterAsync(abort.Token);
        await abort.CancelAsync();
        var cancelled = async () => await waiting;

        await cancelled.Should().ThrowAsync<OperationCanceledException>();
        (slots.Running, slots.Queued).Should().Be((1, 0));
    }
}
