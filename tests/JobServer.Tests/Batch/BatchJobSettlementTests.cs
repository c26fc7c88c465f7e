using JobServer.Batch;

namespace JobServer.Tests.Batch;

/// <summary>A job's counts and status follow from the one task that changed, never from a recount.</summary>
public sealed class BatchJobSettlementTests
{
    [Fact]
    public void FirstTaskLeavingPending_MakesTheJobDispatching_AndItStaysSo()
    {
        var job = Job(total: 2);

        BatchJobSettlement.Count(job, BatchStatus.Pending, BatchStatus.Sent, now: 10);
        job.Status.Should().Be(BatchStatus.Dispatching);
        BatchJobSettlement.Count(job, BatchStatus.Sent, BatchStatus.Running, now: 11);

        job.Status.Should().Be(BatchStatus.Dispatching);
        job.FinishCount.Should().Be(0);
        job.FinishAt.Should().BeNull();
    }

    [Theory]
    [InlineData(BatchStatus.Resolved, BatchStatus.Resolved, BatchStatus.Resolved, 0)]
    [InlineData(BatchStatus.Resolved, BatchStatus.Rejected, BatchStatus.Partial, 1)]
    [InlineData(BatchStatus.Timeout, BatchStatus.Canceled, BatchStatus.Rejected, 2)]
    public void LastTaskFinishing_SettlesTheJob(string first, string second, string settled, int errors)
    {
        var job = Job(total: 2);

        BatchJobSettlement.Count(job, BatchStatus.Running, first, now: 20);
        job.Status.Should().Be(BatchStatus.Dispatching);
        BatchJobSettlement.Count(job, BatchStatus.Pending, second, now: 30);

        job.Status.Should().Be(settled);
        job.FinishCount.Should().Be(2);
        job.ErrorCount.Should().Be(errors);
        job.FinishAt.Should().Be(30);
    }

    [Fact]
    public void ProgressOfARunningTask_CountsNothing()
    {
        var job = Job(total: 1);

        BatchJobSettlement.Count(job, BatchStatus.Running, BatchStatus.Running, now: 5);

        job.FinishCount.Should().Be(0);
        job.Status.Should().Be(BatchStatus.Dispatching);
    }

    private static BatchJobRecord Job(int total) => new() { Owner = "alice", Status = BatchStatus.Pending, TotalCount = total };
}
