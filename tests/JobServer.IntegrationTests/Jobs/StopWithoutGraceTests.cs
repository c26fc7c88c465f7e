using System.Text.Json;
using JobServer.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>
/// The graceful stop with the test daemons' 0 s grace (in process, <c>StopAsync</c> as the host's stop): running
/// jobs are aborted at once and stored ABORTED, also one that ignores its cancellation.
/// </summary>
public sealed class StopWithoutGraceTests
{
    [Fact]
    public async Task Stop_AbortsRunningJobs_AlsoOneThatIgnoresItsAbort_AndStoresThemAborted()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-stop").FullName;
        long polite, stubborn, waiting;
        await using (var first = await Daemon.StartAsync(JobsDaemon.Args, dataDir: dataDir))
        {
            await using var client = await first.ConnectAsRootAsync();
            await using var watcher = await JobEvents.SubscribeAsync(await first.ConnectAsRootAsync());
            polite = (await client.CallResultAsync("testjobs.gate", "p")).GetInt64();
            stubborn = (await client.CallResultAsync("testjobs.stubborn", "s")).GetInt64();
            waiting = (await client.CallResultAsync("testjobs.gate", "p")).GetInt64();
            await watcher.StateAsync(polite, "RUNNING");
            await watcher.StateAsync(stubborn, "RUNNING");

            await first.StopAsync();
        }

        await using var second = await Daemon.StartAsync(JobsDaemon.Args, dataDir: dataDir);
        await using var again = await second.ConnectAsRootAsync();
        var politeJob = await JobAsync(again, polite);
        politeJob.GetProperty("state").GetString().Should().Be("ABORTED");
        politeJob.GetProperty("error").GetString().Should().Be("Daemon shutting down");
        var stubbornJob = await JobAsync(again, stubborn);
        stubbornJob.GetProperty("state").GetString().Should().Be("ABORTED");
        stubbornJob.GetProperty("error").GetString().Should()
            .Be("Daemon shutting down (the job did not stop within 1 s and was abandoned)");
        (await JobAsync(again, waiting)).GetProperty("state").GetString().Should().BeOneOf("WAITING", "RUNNING");
        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task HostShutdownTimeout_CoversBothGracesAndTheMargin()
    {
        await using var daemon = await Daemon.StartAsync(
            ["--JobServer:Jobs:ShutdownGraceSeconds=45", "--JobServer:Jobs:AbortGraceSeconds=3"]);
        daemon.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout
            .Should().Be(TimeSpan.FromSeconds(45 + 3 + 5));
    }

    [Fact]
    public async Task Start_WithANegativeGrace_FailsNamingTheSetting() =>
        (await RefusedStart.LinesAsync("--JobServer:Jobs:ShutdownGraceSeconds=-1")).Should()
            .Contain(l => l.Contains("JobServer:Jobs:ShutdownGraceSeconds must not be negative", StringComparison.Ordinal));

    private static async Task<JsonElement> JobAsync(DdpClient client, long id) =>
        (await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", id } }))[0];
}
