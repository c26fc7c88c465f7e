using JobServer.Tests.Jobs.Fakes;

namespace JobServer.Tests.Jobs;

/// <summary>
/// The manager's promise on events: each change is committed before it is published, a job's events leave in the
/// order of its changes (ADDED, then RUNNING, then its end), and transient jobs are neither stored nor announced.
/// </summary>
public sealed class JobManagerOrderingTests
{
    private static readonly string[] Lifecycle = ["Added:WAITING", "Changed:RUNNING", "Changed:SUCCESS"];

    [Fact]
    public async Task Submit_ManyJobsAtOnce_EachJobsEventsLeaveAddedRunningSuccess()
    {
        await using var engine = new EngineHarness(autoSucceed: true);

        var jobs = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => engine.SubmitAsync("Free"))));
        await Task.WhenAll(jobs.Select(j => engine.Bus.WaitForStateAsync(j.Id, "SUCCESS")));

        foreach (var job in jobs)
        {
            engine.Bus.StatesOf(job.Id).Should().Equal(Lifecycle, $"job {job.Id}'s events leave in the order of its changes");
        }
    }

    [Fact]
    public async Task Submit_JobBehindALock_AddedBeforeRunningBeforeSuccess()
    {
        await using var engine = new EngineHarness();
        var holder = await engine.SubmitAsync("OnX", "[1]");
        var queued = await engine.SubmitAsync("OnX", "[2]");
        engine.Bus.StatesOf(queued.Id).Should().Equal("Added:WAITING");

        engine.Runner.Succeed(holder.Id);
        await engine.Runner.WaitStartedAsync(queued.Id);
        engine.Runner.Succeed(queued.Id);
        await engine.Bus.WaitForStateAsync(queued.Id, "SUCCESS");

        engine.Bus.StatesOf(holder.Id).Should().Equal(Lifecycle);
        engine.Bus.StatesOf(queued.Id).Should().Equal(Lifecycle);
        var events = engine.Bus.Events.Select(e => (e.Id, e.State)).ToList();
        events.IndexOf((holder.Id, "SUCCESS")).Should().BeLessThan(events.IndexOf((queued.Id, "RUNNING")),
            "the next job on a lock starts only once the previous one's end is committed");
    }

    [Fact]
    public async Task Submit_EveryEventLeavesOnlyOnceItsChangeIsCommitted()
    {
        await using var engine = new EngineHarness(autoSucceed: true);
        var uncommitted = new List<string>();
        engine.Bus.OnPublish = e =>
        {
            // The store runs a save's after-commit step right after the row was committed and before the next
            // save: the row then holds exactly the published state (ADDED of a job created running shares the
            // RUNNING commit).
            var row = engine.Store.Rows.GetValueOrDefault(e.Id);
            if (row is null || (row.State != e.State && !(e.Kind == Sdk.EventKind.Added && row.State == "RUNNING")))
            {
                uncommitted.Add($"{e.Id}:{e.Kind}:{e.State} (row: {row?.State ?? "none"})");
            }
        };

        var holder = await engine.SubmitAsync("OnX", "[1]");
        var queued = await engine.SubmitAsync("OnX", "[2]");
        await engine.Bus.WaitForStateAsync(queued.Id, "SUCCESS");

        engine.Bus.StatesOf(holder.Id).Should().Equal(Lifecycle);
        uncommitted.Should().BeEmpty();
    }

    [Fact]
    public async Task Submit_TransientJob_RunsButIsNeitherStoredNorAnnounced()
    {
        await using var engine = new EngineHarness(autoSucceed: true);

        var job = await engine.SubmitAsync("Fleeting");
        await job.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10));

        engine.Runner.StartOrder.Should().Contain(job.Id);
        engine.Store.Rows.Should().BeEmpty();
        engine.Bus.Events.Should().BeEmpty();
    }
}
