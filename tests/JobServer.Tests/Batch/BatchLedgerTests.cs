using JobServer.Batch;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.Tests.Batch;

/// <summary>
/// The in-memory ledger of unfinished batch jobs: per-destination order, one task in flight, incremental counts,
/// and every change queued to the writer in the order it was made.
/// </summary>
public sealed class BatchLedgerTests
{
    private readonly FakeBatchWriteQueue _writes = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
    private readonly BatchLedger _ledger;

    public BatchLedgerTests() => _ledger = new BatchLedger(_writes, _time);

    [Fact]
    public void Offer_GivesADestinationItsTasksInIdOrder_TheNextOnlyAfterTheFirstFinished()
    {
        AddJob(1, admitted: true, (11, "dev-a"), (12, "dev-b"), (13, "dev-a"));

        var first = _ledger.Offer("dev-a")!.Value;
        var again = _ledger.Offer("dev-a")!.Value;

        first.Id.Should().Be(11);
        first.Task["__task"]!["status"]!.GetValue<string>().Should().Be(BatchStatus.Sent);
        again.Id.Should().Be(11, "an unanswered task is offered again, not the next one");
        _writes.Writes.Should().ContainSingle("offering it again changes nothing");
        Answer("dev-a", 11, BatchStatus.Resolved);
        _ledger.Offer("dev-a")!.Value.Id.Should().Be(13);
        _ledger.Offer("dev-b")!.Value.Id.Should().Be(12);
    }

    [Fact]
    public void JobNotYetAdmitted_OffersNothing_UntilAdmitted()
    {
        AddJob(2, admitted: false, (21, "dev-c"), (22, "dev-d"));

        _ledger.Offer("dev-c").Should().BeNull();
        _ledger.Admit(2).Should().BeEquivalentTo(["dev-c", "dev-d"]);
        _ledger.Offer("dev-c")!.Value.Id.Should().Be(21);
    }

    [Fact]
    public void Changes_AreQueuedInOrder_WithTheJobsCountsFromTheTaskThatChanged()
    {
        AddJob(3, admitted: true, (31, "dev-e"), (32, "dev-f"));

        _ledger.Offer("dev-e");
        _ledger.TryChange("dev-e", 31, t => t.Status = BatchStatus.Running, finishes: false);
        Answer("dev-e", 31, BatchStatus.Resolved);
        _ledger.Offer("dev-f");
        Answer("dev-f", 32, BatchStatus.Rejected);

        _writes.Writes.Select(w => w.Tasks.Single().Status).Should().Equal(
            BatchStatus.Sent, BatchStatus.Running, BatchStatus.Resolved, BatchStatus.Sent, BatchStatus.Rejected);
        _writes.Writes.Select(w => w.Job!.Value.FinishCount).Should().Equal(0, 0, 1, 1, 2);
        var last = _writes.Writes[^1];
        last.Job!.Value.Status.Should().Be(BatchStatus.Partial);
        last.Job!.Value.ErrorCount.Should().Be(1);
        last.Published!.IsFinal.Should().BeTrue();
        last.Published.TaskIds.Should().Equal(31, 32);
        last.FreedDestinations.Should().Equal("dev-f");
        _ledger.Counts.Should().Be((0, 0), "a final job leaves the ledger");
    }

    [Fact]
    public void FinishedTask_IsNotHere_AndAnotherDestinationsTask_DoesNotExist()
    {
        AddJob(4, admitted: true, (41, "dev-g"), (42, "dev-h"));
        Answer("dev-g", 41, BatchStatus.Resolved);

        _ledger.TryChange("dev-g", 41, _ => { }, finishes: true).Should().BeNull();
        Action foreign = () => _ledger.TryChange("dev-g", 42, _ => { }, finishes: true);

        foreign.Should().Throw<InstanceNotFoundException>();
        _writes.Writes.Should().ContainSingle();
    }

    [Fact]
    public void FinishJob_MovesEveryUnfinishedTask_InOneWrite_AndFreesTheirDestinations()
    {
        AddJob(5, admitted: true, (51, "dev-i"), (52, "dev-j"), (53, "dev-i"));
        Answer("dev-i", 51, BatchStatus.Resolved);
        _time.Advance(TimeSpan.FromSeconds(3));

        var finished = _ledger.TryFinishJob(5, BatchStatus.Canceled, check: null)!.Value;

        finished.Job.Status.Should().Be(BatchStatus.Partial);
        finished.Job.FinishCount.Should().Be(3);
        finished.Job.ErrorCount.Should().Be(2);
        var write = _writes.Writes[^1];
        write.Tasks.Select(t => (t.Id, t.Status, t.FinishAt)).Should().Equal(
            (52, BatchStatus.Canceled, 1_003_000L), (53, BatchStatus.Canceled, 1_003_000L));
        write.FreedDestinations.Should().BeEquivalentTo(["dev-i", "dev-j"]);
        _ledger.Offer("dev-i").Should().BeNull();
        _ledger.TryFinishJob(5, BatchStatus.Timeout, check: null).Should().BeNull("a final job is no longer here");
    }

    [Fact]
    public void FinishJob_NamesTheTasksPushedToAgents_NotThoseStillPending()
    {
        AddJob(8, admitted: true, (81, "dev-p"), (82, "dev-q"), (83, "dev-p"), (84, "dev-r"));
        _ledger.Offer("dev-p");
        _ledger.Offer("dev-q");
        _ledger.TryChange("dev-q", 82, t => t.Status = BatchStatus.Running, finishes: false);

        _ledger.TryFinishJob(8, BatchStatus.Timeout, check: null);

        _writes.Writes[^1].Withdrawn.Should().BeEquivalentTo(new Dictionary<string, long> { ["dev-p"] = 81, ["dev-q"] = 82 },
            "83 and 84 were never pushed, so no agent has to be told");
    }

    [Fact]
    public void JobTakenInBefore_IsNotTakenInAgain_EvenAfterItFinishedHere()
    {
        AddJob(9, admitted: true, (91, "dev-s"));
        Answer("dev-s", 91, BatchStatus.Resolved);
        var stale = new BatchJobRecord { Id = 9, Owner = "alice", Status = BatchStatus.Dispatching, TotalCount = 1 };
        var task = new BatchTaskRecord
        {
            Id = 91, JobId = 9, Method = "post", Resource = "/r", Destination = "dev-s", Status = BatchStatus.Sent,
        };

        _ledger.Add(stale, [task], [91], admitted: true).Should().BeNull(
            "its final write may not be stored yet: the stored row must not bring it back");
        _ledger.Offer("dev-s").Should().BeNull();
        _ledger.Holds(9).Should().BeTrue();
    }

    [Fact]
    public void FinishJob_RefusedByTheCheck_ChangesNothing()
    {
        AddJob(6, admitted: true, (61, "dev-k"));

        var refused = () => _ledger.TryFinishJob(6, BatchStatus.Canceled, _ => throw new CallError("no", Errno.EACCES));

        refused.Should().Throw<CallError>();
        _writes.Writes.Should().BeEmpty();
        _ledger.Offer("dev-k")!.Value.Id.Should().Be(61);
    }

    [Fact]
    public void ForgottenJob_LeavesNoTaskBehind()
    {
        AddJob(7, admitted: true, (71, "dev-l"));

        _ledger.Forget(7);

        _ledger.Offer("dev-l").Should().BeNull();
        _ledger.Counts.Should().Be((0, 0));
    }

    private void Answer(string destination, long taskId, string status) =>
        _ledger.TryChange(destination, taskId, t =>
        {
            t.Status = status;
            t.Progress = 100;
            t.Result = "{\"status\":200}";
        }, finishes: true).Should().NotBeNull();

    private void AddJob(long id, bool admitted, params (long Id, string Destination)[] tasks)
    {
        var job = new BatchJobRecord { Id = id, Owner = "alice", Status = BatchStatus.Pending, TotalCount = tasks.Length };
        var records = tasks.Select(t => new BatchTaskRecord
        {
            Id = t.Id, JobId = id, Method = "post", Resource = "/system/reboot", Destination = t.Destination,
            Status = BatchStatus.Pending,
        }).ToList();
        _ledger.Add(job, records, [.. records.Select(t => t.Id)], admitted);
    }
}
