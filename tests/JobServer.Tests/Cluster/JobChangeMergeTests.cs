using JobServer.Cluster;
using JobServer.Events;
using JobServer.Jobs.Storage;
using JobServer.Sdk;

namespace JobServer.Tests.Cluster;

/// <summary>
/// The other nodes' rows turned into this node's events: added for a job not announced yet, changed after, nothing
/// for a row read again unchanged, finished jobs forgotten once the horizon passed their write.
/// </summary>
public sealed class JobChangeMergeTests
{
    private readonly JobChangeMerge _merge = new();

    [Fact]
    public void Merge_UnknownJob_AddedThenChangedInTheOrderOfTheReads()
    {
        var first = _merge.Merge([Changed(1, "WAITING", xid: 10)], horizon: 10);
        var second = _merge.Merge([Changed(1, "RUNNING", xid: 11)], horizon: 11);
        var third = _merge.Merge([Changed(1, "SUCCESS", xid: 12)], horizon: 12);

        first.Select(Describe).Should().Equal("Added:1");
        second.Select(Describe).Should().Equal("Changed:1");
        third.Select(Describe).Should().Equal("Changed:1");
    }

    [Fact]
    public void Merge_JobFirstSeenMidway_AnnouncedAsAdded()
    {
        // Its added event was before this node listened (or coalesced with later changes): a changed of an
        // unknown id would be dropped by DDP clients, so it is announced as added.
        _merge.Merge([Changed(7, "RUNNING", xid: 40)], horizon: 30).Select(Describe).Should().Equal("Added:7");
    }

    [Fact]
    public void Merge_RowsReadAgainUnchanged_NothingAnnouncedTwice()
    {
        _merge.Merge([Changed(1, "RUNNING", xid: 10), Changed(2, "WAITING", xid: 11)], horizon: 9);

        // The horizon was held back (a transaction open elsewhere): the next read returns the same rows again.
        var again = _merge.Merge([Changed(1, "RUNNING", xid: 10), Changed(2, "RUNNING", xid: 13)], horizon: 9);

        again.Select(Describe).Should().Equal("Changed:2");
    }

    [Fact]
    public void Merge_SeveralJobs_EventsInTheOrderOfTheRows()
    {
        var events = _merge.Merge(
            [Changed(3, "SUCCESS", xid: 20), Changed(1, "RUNNING", xid: 21), Changed(2, "WAITING", xid: 22)], 19);

        events.Select(e => e.NumericId).Should().Equal(3, 1, 2);
    }

    [Fact]
    public void Merge_FinishedJob_ForgottenOncePastTheHorizon_UnfinishedKept()
    {
        _merge.Merge([Changed(1, "SUCCESS", xid: 10), Changed(2, "RUNNING", xid: 11)], horizon: 10);
        _merge.Tracked.Should().Be(2, "job 1's write is not below the horizon yet: it may be read again");

        _merge.Merge([], horizon: 12);

        _merge.Tracked.Should().Be(1);
        _merge.Merge([Changed(2, "SUCCESS", xid: 13)], horizon: 12).Select(Describe).Should().Equal("Changed:2");
    }

    [Fact]
    public void Adopted_JobTakenOverHere_Forgotten()
    {
        _merge.Merge([Changed(1, "RUNNING", xid: 10), Changed(2, "WAITING", xid: 11)], horizon: 9);

        _merge.Adopted([2]);

        _merge.Tracked.Should().Be(1);
    }

    [Fact]
    public void Merge_TransientRow_NotAnnounced()
    {
        var row = Changed(5, "RUNNING", xid: 10);
        row.Record.Transient = true;

        _merge.Merge([row], horizon: 9).Should().BeEmpty();
    }

    private static string Describe(CollectionEvent e) =>
        $"{e.Kind}:{e.NumericId}";

    private static ChangedJob Changed(long id, string state, long xid) => new(new JobRecord
    {
        Id = id, Method = "testjobs.gate", State = state, Username = "alice",
        TimeStarted = new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc),
    }, xid);
}
