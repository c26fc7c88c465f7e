using Xunit.Abstractions;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>
/// The kill loop, short: a daemon process killed with SIGKILL at random points under concurrent submitters, and
/// restarted on the same data directory. The benchmark's reliability scenario runs it long.
/// </summary>
public sealed class KillLoopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillLoop_FiveKills_NoJobLostOrRunTwice_NoOrphan_NoLockOverlap()
    {
        // JOBSERVER_KILL_LOOP_KILLS runs it longer from the test suite (the benchmark's scenario runs 100).
        var kills = int.TryParse(Environment.GetEnvironmentVariable("JOBSERVER_KILL_LOOP_KILLS"), out var asked) ? asked : 5;
        var report = await KillLoop.RunAsync(new KillLoopOptions { Kills = kills });

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty();
        report.Figures.Single(f => f.Measurement == "jobs acknowledged").Value.Should().BePositive();
    }
}
