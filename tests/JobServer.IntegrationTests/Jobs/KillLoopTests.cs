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
        var report = await KillLoop.RunAsync(new KillLoopOptions { Kills = 5 });

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty();
        report.Figures.Single(f => f.Measurement == "jobs acknowledged").Value.Should().BePositive();
    }
}
