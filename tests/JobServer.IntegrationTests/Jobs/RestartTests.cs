using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

public sealed class RestartTests
{
    [Fact]
    public async Task HardKill_RunningJobFails_WaitingJobsRunInOrder_IdsContinue()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-restart").FullName;
        string[] args = ["--plugin-dir", RepositoryPaths.TestPluginOutput];
        long running, waiting1, waiting2;
        await using (var first = await DaemonProcess.StartAsync(dataDir, args))
        {
            await using var client = await first.ConnectAsRootAsync();
            await using var watcher = await JobEvents.SubscribeAsync(await first.ConnectAsRootAsync());
            running = (await client.CallResultAsync("testjobs.gate", "k")).GetInt64();
            await watcher.StateAsync(running, "RUNNING");
            waiting1 = (await client.CallResultAsync("testjobs.gate", "k")).GetInt64();
            waiting2 = (await client.CallResultAsync("testjobs.gate", "k")).GetInt64();

            await first.KillAsync();
        }

        await using var second = await DaemonProcess.StartAsync(dataDir, args);
        await using var again = await second.ConnectAsRootAsync();
        await using var events = await JobEvents.SubscribeAsync(await second.ConnectAsRootAsync());

        var failed = (await again.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", running } }))[0];
        failed.GetProperty("state").GetString().Should().Be("FAILED");
        failed.GetProperty("error").GetString().Should().Be("[EFAULT] Daemon stopped while the job was running");

        await again.CallResultAsync("testjobs.release", "k");
        var firstDone = await events.StateAsync(waiting1, "SUCCESS");
        var secondDone = await events.StateAsync(waiting2, "SUCCESS");
        secondDone.GetProperty("time_finished").GetProperty("$date").GetInt64().Should()
            .BeGreaterThanOrEqualTo(firstDone.GetProperty("time_finished").GetProperty("$date").GetInt64());
        firstDone.GetProperty("message_ids").GetArrayLength().Should().Be(1);

        var next = (await again.CallResultAsync("testjobs.echo", 1)).GetInt64();
        next.Should().Be(waiting2 + 1);
        Directory.Delete(dataDir, recursive: true);
    }
}
