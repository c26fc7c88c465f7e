using JobServer.IntegrationTests.Support;
using Xunit.Abstractions;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// The cluster's failover loop, short: two nodes on one database, each killed in turn while it runs jobs on its
/// locks and taken over by the other. The benchmark's reliability scenario runs it long (100 kills).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailoverLoopTests(ITestOutputHelper output)
{
    [PostgresOnlyFact]
    public async Task FourKills_RunningJobsFailedWithinTheBound_NoJobLostOrRunTwice_NoLockOverlap_NoOrphan()
    {
        // JOBSERVER_CLUSTER_KILLS runs it longer from the test suite (the benchmark's scenario runs 100).
        var kills = int.TryParse(Environment.GetEnvironmentVariable("JOBSERVER_CLUSTER_KILLS"), out var asked) ? asked : 4;
        var report = await ClusterKillLoop.RunAsync(new ClusterKillLoopOptions
        {
            Server = Environment.GetEnvironmentVariable(TestDatabases.Variable)!,
            Kills = kills,
            // Shorter than the defaults, to keep the test short; the bound scales with them.
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            NodeTimeout = TimeSpan.FromSeconds(3),
            FailoverBound = TimeSpan.FromSeconds(6),
        });

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty();
        report.Figures.Single(f => f.Measurement == "jobs acknowledged").Value.Should().BePositive();
        report.Figures.Single(f => f.Measurement.StartsWith("jobs running at a kill", StringComparison.Ordinal)).Value
            .Should().BePositive("the nodes died while running jobs");
    }
}
