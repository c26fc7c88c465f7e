using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

public sealed class JobVisibilityTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task PlainUser_SeesAndHearsOnlyOwnJobs()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await using var alice = await Daemon.ConnectAsAccountAsync("alice");
        await using var aliceEvents = await JobEvents.SubscribeAsync(await Daemon.ConnectAsAccountAsync("alice"));
        await using var rootEvents = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var rootJob = (await root.CallResultAsync("testjobs.echo", "root's")).GetInt64();
        await rootEvents.StateAsync(rootJob, "SUCCESS");
        var aliceJob = (await alice.CallResultAsync("testjobs.echo", "alice's")).GetInt64();
        await aliceEvents.StateAsync(aliceJob, "SUCCESS");
        await rootEvents.StateAsync(aliceJob, "SUCCESS"); // admins see every job

        var seen = await alice.CallResultAsync("core.get_jobs");
        seen.EnumerateArray().Select(j => j.GetProperty("id").GetInt64()).Should().Contain(aliceJob).And.NotContain(rootJob);
        (await alice.CallErrorAsync("core.job_wait", rootJob)).GetProperty("error").GetInt32().Should().Be(2);
        (await alice.CallErrorAsync("core.job_abort", rootJob)).GetProperty("error").GetInt32().Should().Be(2);

        // root's job ended before alice's began, so any event about it would have reached alice's watcher first.
        aliceEvents.Client.HasPending(m => m.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.Number &&
                                           id.GetInt64() == rootJob).Should().BeFalse();
    }

    [Fact]
    public async Task PlainUser_AbortingSomeoneElsesLiveJob_GetsWhatAMissingIdGets()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await using var carol = await Daemon.ConnectAsAccountAsync("carol");
        await using var rootEvents = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Guid.NewGuid().ToString("N");
        var running = (await root.CallResultAsync("testjobs.gate", key)).GetInt64();
        await rootEvents.StateAsync(running, "RUNNING");
        var waiting = (await root.CallResultAsync("testjobs.gate", key)).GetInt64();
        const long missing = 987_654_321;

        var missingError = await carol.CallErrorAsync("core.job_abort", missing);
        foreach (var id in new[] { running, waiting })
        {
            var error = await carol.CallErrorAsync("core.job_abort", id);

            error.GetProperty("error").GetInt32().Should().Be(missingError.GetProperty("error").GetInt32()).And.Be(2);
            error.GetProperty("errname").GetString().Should().Be(missingError.GetProperty("errname").GetString());
            error.GetProperty("type").ToString().Should().Be(missingError.GetProperty("type").ToString());
            error.GetProperty("reason").GetString().Should().Be(
                missingError.GetProperty("reason").GetString()!.Replace($"{missing}", $"{id}", StringComparison.Ordinal));
        }

        await root.CallResultAsync("testjobs.release", key);
        await rootEvents.StateAsync(waiting, "SUCCESS");
    }

    [Fact]
    public async Task PlainUser_CannotRunAdminJobs()
    {
        await using var bob = await Daemon.ConnectAsAccountAsync("bob");

        var error = await bob.CallErrorAsync("exec.run", "sleep", new[] { "1" });

        error.GetProperty("error").GetInt32().Should().Be(13);
    }

    [Fact]
    public async Task Anonymous_CannotSubscribeToJobs()
    {
        await using var anonymous = await Daemon.ConnectAsync();
        await anonymous.SendAsync(new { msg = "sub", id = "j", name = "core.get_jobs" });

        (await anonymous.ResultOfAsync("j")).GetProperty("error").GetProperty("error").GetInt32().Should().Be(13);
    }
}
