using System.Diagnostics;
using JobServer.IntegrationTests.Support;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Several daemons on one PostgreSQL database (issue 18): membership, failover of a node that dies or leaves,
/// fencing of a node the cluster declared dead, and a starting node leaving the live ones' jobs alone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverTests
{
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(10);

    [PostgresOnlyFact]
    public async Task KilledNode_ItsRunningJobFailsWithin10s_ItsWaitingJobsRunOnceOnTheSurvivorInOrder()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        var b = await cluster.StartAsync("node-b");
        await using var onA = await a.ConnectAsRootAsync();
        await using var watchA = await JobEvents.SubscribeAsync(await a.ConnectAsRootAsync());
        await using var watchB = await JobEvents.SubscribeAsync(await b.ConnectAsRootAsync());
        var running = (await onA.CallResultAsync("testjobs.gate", "k")).GetInt64();
        await watchA.StateAsync(running, "RUNNING");
        var waiting1 = (await onA.CallResultAsync("testjobs.gate", "k")).GetInt64();
        var waiting2 = (await onA.CallResultAsync("testjobs.gate", "k")).GetInt64();

        var killed = Stopwatch.StartNew();
        await a.CrashAsync();

        var failed = await watchB.StateAsync(running, "FAILED", FailoverBound);
        killed.Elapsed.Should().BeLessThan(FailoverBound);
        failed.GetProperty("error").GetString().Should().Be("[EFAULT] node node-a stopped while the job was running");
        (await cluster.RowOfAsync(waiting1)).Node.Should().Be("node-b");

        // The lock passed to node B with its queue: the first waiter runs, the second still waits behind it.
        await watchB.StateAsync(waiting1, "RUNNING");
        (await cluster.RowOfAsync(waiting2)).State.Should().Be("WAITING");
        await using var onB = await b.ConnectAsRootAsync();
        await onB.CallResultAsync("testjobs.release", "k");
        var first = await watchB.StateAsync(waiting1, "SUCCESS");
        var second = await watchB.StateAsync(waiting2, "SUCCESS");
        second.GetProperty("time_finished").GetProperty("$date").GetInt64().Should()
            .BeGreaterThanOrEqualTo(first.GetProperty("time_finished").GetProperty("$date").GetInt64());
        (await cluster.RowOfAsync(waiting2)).Should().Be(("SUCCESS", "node-b"));
    }

    [PostgresOnlyFact]
    public async Task GracefulStop_TheOtherNodeTakesOverTheWaitingJobsAtOnce()
    {
        await using var cluster = new ClusterOfDaemons();
        // A long timeout: only leaving (not silence) can make node B take over in time.
        string[] slow = ["--JobServer:Cluster:NodeTimeout=00:10:00"];
        var a = await cluster.StartAsync("node-a", slow);
        var b = await cluster.StartAsync("node-b", slow);
        await using var onA = await a.ConnectAsRootAsync();
        await using var watchA = await JobEvents.SubscribeAsync(await a.ConnectAsRootAsync());
        await using var watchB = await JobEvents.SubscribeAsync(await b.ConnectAsRootAsync());
        var running = (await onA.CallResultAsync("testjobs.gate", "g")).GetInt64();
        await watchA.StateAsync(running, "RUNNING");
        var waiting = (await onA.CallResultAsync("testjobs.gate", "g")).GetInt64();

        await a.TerminateAsync();
        (await a.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0);

        (await cluster.RowOfAsync(running)).State.Should().Be("ABORTED", "a graceful stop aborts what it runs");
        await watchB.StateAsync(waiting, "RUNNING", FailoverBound);
        await using var onB = await b.ConnectAsRootAsync();
        await onB.CallResultAsync("testjobs.release", "g");
        await watchB.StateAsync(waiting, "SUCCESS");
        (await cluster.RowOfAsync(waiting)).Should().Be(("SUCCESS", "node-b"));
    }

    [PostgresOnlyFact]
    public async Task StartingNode_LeavesALiveNodesRunningJobAlone()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        await using var onA = await a.ConnectAsRootAsync();
        await using var watchA = await JobEvents.SubscribeAsync(await a.ConnectAsRootAsync());
        var running = (await onA.CallResultAsync("testjobs.gate", "s")).GetInt64();
        await watchA.StateAsync(running, "RUNNING");

        var c = await cluster.StartAsync("node-c");
        await using var onC = await c.ConnectAsRootAsync();
        var seenFromC = (await onC.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "id", "=", running } }))[0];
        seenFromC.GetProperty("state").GetString().Should().Be("RUNNING", "node C's recovery is for its own jobs");

        await onA.CallResultAsync("testjobs.release", "s");
        await watchA.StateAsync(running, "SUCCESS");
        (await cluster.RowOfAsync(running)).Should().Be(("SUCCESS", "node-a"));
    }

    [PostgresOnlyFact]
    public async Task KilledNode_RestartedAtOnce_RejoinsAndRecoversItsOwnJobs()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        long running, waiting;
        await using (var onA = await a.ConnectAsRootAsync())
        await using (var watchA = await JobEvents.SubscribeAsync(await a.ConnectAsRootAsync()))
        {
            running = (await onA.CallResultAsync("testjobs.gate", "r")).GetInt64();
            await watchA.StateAsync(running, "RUNNING");
            waiting = (await onA.CallResultAsync("testjobs.gate", "r")).GetInt64();
        }

        await a.CrashAsync();
        // Its heartbeat is fresh, but the name is held by this data directory's own instance: it re-joins at once.
        var again = await cluster.StartAsync("node-a");
        await using var client = await again.ConnectAsRootAsync();
        await using var watch = await JobEvents.SubscribeAsync(await again.ConnectAsRootAsync());
        var failed = (await client.CallResultAsync("core.get_jobs",
            (object)new object[] { new object[] { "id", "=", running } }))[0];
        failed.GetProperty("error").GetString().Should().Be("[EFAULT] Daemon stopped while the job was running");
        await client.CallResultAsync("testjobs.release", "r");
        await watch.StateAsync(waiting, "SUCCESS");
    }

    [PostgresOnlyFact]
    public async Task SecondDaemonWithALiveNodesName_IsRefused()
    {
        await using var cluster = new ClusterOfDaemons();
        await cluster.StartAsync("node-a");
        var otherDir = Directory.CreateTempSubdirectory("jobserver-cluster-twin").FullName;
        try
        {
            await using var twin = DaemonExecutable.Start(
                ["--urls", "http://127.0.0.1:0", "--data-dir", otherDir, .. cluster.SettingsOf("node-a")],
                new Dictionary<string, string> { ["JOBSERVER_ROOT_PASSWORD"] = Daemon.RootPassword });
            (await twin.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().NotBe(0);
            twin.Lines.Should().Contain(line => line.Contains(
                "The node name node-a is in use by another daemon on this database", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(otherDir, recursive: true);
        }
    }

    [PostgresOnlyFact]
    public async Task NodeTheClusterDeclaredDead_RefusesToWrite_AndStopsWithExitCode75()
    {
        await using var cluster = new ClusterOfDaemons();
        // Heartbeats far apart: the job write, not the heartbeat, is what meets the fence.
        var a = await cluster.StartAsync("node-a",
            "--JobServer:Cluster:HeartbeatInterval=01:00:00", "--JobServer:Cluster:NodeTimeout=02:00:00");
        await using var onA = await a.ConnectAsRootAsync();
        await using var watchA = await JobEvents.SubscribeAsync(await a.ConnectAsRootAsync());
        var before = (await onA.CallResultAsync("testjobs.echo", 1)).GetInt64();
        await watchA.StateAsync(before, "SUCCESS");

        // What another node does when it declares node A dead during a partition.
        await cluster.ExecuteAsync("UPDATE cluster_nodes SET \"State\" = 'gone' WHERE \"Name\" = 'node-a'");

        var refused = await onA.CallAsync("testjobs.echo", 2);
        refused.TryGetProperty("error", out _).Should().BeTrue("the job's creation could not be written");
        (await a.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(75);
        a.Log.Lines.Should().Contain(line => line.Contains("node-a", StringComparison.Ordinal) &&
                                             line.Contains("declared the node dead", StringComparison.Ordinal));
        (await cluster.RowOfAsync(before)).Should().Be(("SUCCESS", "node-a"));
    }
}
