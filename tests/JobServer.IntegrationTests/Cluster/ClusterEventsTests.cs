using System.Text.Json;
using JobServer.IntegrationTests.Support;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Events, aborts and waits across the nodes of a cluster (issue 18): real daemon processes on one PostgreSQL
/// database; a session on one node watches, aborts and waits for jobs that run on another.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterEventsTests
{
    private static readonly string[] States = ["WAITING", "RUNNING", "SUCCESS", "FAILED", "ABORTED"];

    [PostgresOnlyFact]
    public async Task JobOnB_SubscriberOnA_GetsItsEventsInOrder_AsAQueryOnAReturnsThem()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (onA, onB, watchA, watchB) = (nodes.OnA, nodes.OnB, nodes.WatchA, nodes.WatchB);

        var id = (await onB.CallResultAsync("testjobs.progress", 4, "p")).GetInt64();
        await watchB.StateAsync(id, "RUNNING");
        await onB.CallResultAsync("testjobs.release", "p");

        var seenOnA = await EventsUntilFinishedAsync(watchA, id);
        seenOnA[0].Msg().Should().Be("added", "node A had not announced the job before");
        seenOnA.Skip(1).Should().OnlyContain(e => e.Msg() == "changed");
        var fields = seenOnA.Select(e => e.GetProperty("fields")).ToList();
        fields.Select(f => Array.IndexOf(States, f.GetProperty("state").GetString())).Should().BeInAscendingOrder();
        fields.Select(f => f.GetProperty("progress").GetProperty("percent").GetInt32()).Should().BeInAscendingOrder();
        fields[^1].GetProperty("state").GetString().Should().Be("SUCCESS");

        var queried = (await onA.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "id", "=", id } }))[0];
        queried.GetRawText().Should().Be(fields[^1].GetRawText(), "an event carries what a query returns");

        // Node B announced its own job once: the relay never brings a node's own changes back to it (it would
        // announce them as added: its relay never saw the job).
        var seenOnB = await EventsUntilFinishedAsync(watchB, id);
        seenOnB.Count(e => e.Msg() == "added").Should().Be(1);
    }

    [PostgresOnlyFact]
    public async Task ListenerConnectionKilled_ChangesCommittedMeanwhile_ArriveAfterItListensAgain()
    {
        // A long pause before listening again, so the change below surely commits while nobody listens.
        await using var nodes = await TwoNodes.StartAsync("--JobServer:Cluster:ListenerRetryDelay=00:00:15");
        var (cluster, onB, watchA, watchB) = (nodes.Cluster, nodes.OnB, nodes.WatchA, nodes.WatchB);
        var id = (await onB.CallResultAsync("testjobs.gate", "k")).GetInt64();
        await watchA.StateAsync(id, "RUNNING");

        const string listenerOfA =
            "FROM pg_stat_activity WHERE application_name = 'jobserver-listener node-a'";
        (await cluster.ScalarAsync($"SELECT pg_terminate_backend(pid) {listenerOfA}")).Should().Be(true);
        await onB.CallResultAsync("testjobs.release", "k");
        await watchB.StateAsync(id, "SUCCESS");
        (await cluster.ScalarAsync($"SELECT count(*) {listenerOfA}")).Should().Be(0L,
            "the change committed while node A was not listening");

        var finished = await watchA.StateAsync(id, "SUCCESS", TimeSpan.FromSeconds(60));
        finished.GetProperty("result").GetString().Should().Be("k");
    }

    [PostgresOnlyFact]
    public async Task AbortOnA_OfJobsOnB_AbortsThem_AndUnknownIdsStillFail()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (cluster, onA, onB, watchA) = (nodes.Cluster, nodes.OnA, nodes.OnB, nodes.WatchA);
        var running = (await onB.CallResultAsync("testjobs.gate", "x")).GetInt64();
        var waiting = (await onB.CallResultAsync("testjobs.gate", "x")).GetInt64();
        await watchA.StateAsync(running, "RUNNING");
        var waitOnA = await onA.SendCallAsync("core.job_wait", running);

        (await onA.CallAsync("core.job_abort", waiting)).TryGetProperty("error", out _).Should().BeFalse();
        (await onA.CallAsync("core.job_abort", running)).TryGetProperty("error", out _).Should().BeFalse();

        var aborted = await watchA.StateAsync(waiting, "ABORTED");
        aborted.GetProperty("error").GetString().Should().Be("Aborted by root");
        await watchA.StateAsync(running, "ABORTED");
        (await cluster.RowOfAsync(running)).Should().Be(("ABORTED", "node-b"));
        var waited = await onA.ResultOfAsync(waitOnA);
        waited.GetProperty("error").GetProperty("reason").GetString().Should().Contain("Aborted by root",
            "a wait on A for a job on B ends with the job's own error");

        var unknownOnA = await onA.CallErrorAsync("core.job_abort", 987654);
        var unknownOnB = await onB.CallErrorAsync("core.job_abort", 987654);
        unknownOnA.GetRawText().Should().Be(unknownOnB.GetRawText());
    }

    [PostgresOnlyFact]
    public async Task WaitOnA_ForAJobOnB_ReturnsItsResultWhenItEnds()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (onA, onB, watchB) = (nodes.OnA, nodes.OnB, nodes.WatchB);
        var id = (await onB.CallResultAsync("testjobs.gate", "w")).GetInt64();
        await watchB.StateAsync(id, "RUNNING");

        var wait = await onA.SendCallAsync("core.job_wait", id);
        await onB.CallResultAsync("testjobs.release", "w");

        var result = await onA.ResultOfAsync(wait);
        result.GetProperty("result").GetString().Should().Be("w");
    }

    [PostgresOnlyFact]
    public async Task WaitOnA_ForAJobOnB_BKilled_EndsWithTheTakeoversError()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (onA, onB, watchA) = (nodes.OnA, nodes.OnB, nodes.WatchA);
        var id = (await onB.CallResultAsync("testjobs.gate", "d")).GetInt64();
        await watchA.StateAsync(id, "RUNNING");
        var wait = await onA.SendCallAsync("core.job_wait", id);

        await nodes.B.CrashAsync();

        // Node A takes node B over and fails the job itself: its own change, not a relayed one, ends the wait.
        var result = await onA.ReceiveAsync(m => m.Msg() == "result" && m.GetProperty("id").GetString() == wait,
            TimeSpan.FromSeconds(60)); // The takeover comes after NodeTimeout, later still on a loaded machine.
        result.GetProperty("error").GetProperty("reason").GetString().Should()
            .Contain("node node-b stopped while the job was running");
    }

    /// <summary>The job's events, in the order they came, up to its first finished state.</summary>
    private static async Task<List<JsonElement>> EventsUntilFinishedAsync(JobEvents watch, long id)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var next = (await watch.NextAsync(id)).Clone();
            events.Add(next);
            if (Array.IndexOf(States, next.GetProperty("fields").GetProperty("state").GetString()) >= 2)
            {
                return events;
            }
        }
    }
}
