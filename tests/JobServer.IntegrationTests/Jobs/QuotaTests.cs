using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>A daemon with small job quotas: 3 unfinished jobs per user, 5 calls per core.bulk.</summary>
public sealed class QuotaDaemon : IAsyncLifetime
{
    public Daemon Daemon { get; private set; } = null!;

    public async Task InitializeAsync() => Daemon = await Daemon.StartAsync(
        [.. JobsDaemon.Args, "--JobServer:Jobs:MaxUnfinishedJobsPerUser=3", "--JobServer:Jobs:MaxBulkItems=5"]);

    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}

/// <summary>Per-user job quotas and core.bulk bounds refuse before any job exists (issue 12, item 12).</summary>
public sealed class QuotaTests(QuotaDaemon fixture) : IClassFixture<QuotaDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task PlainUser_OverTheUnfinishedJobLimit_IsRefusedWithEbusy_AdminsAreNot()
    {
        await using var user = await Daemon.ConnectAsAccountAsync("quinn");
        await using var root = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var key = Guid.NewGuid().ToString("N");
        var jobs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add((await user.CallResultAsync("testjobs.gate", key)).GetInt64()); // one runs, two wait
        }

        var before = await JobCount.OfAsync(root);
        var error = await user.CallErrorAsync("testjobs.gate", Guid.NewGuid().ToString("N"));

        error.GetProperty("error").GetInt32().Should().Be(16);
        error.GetProperty("reason").GetString().Should().Contain("MaxUnfinishedJobsPerUser");
        (await JobCount.OfAsync(root)).Should().Be(before);
        var adminJob = (await root.CallResultAsync("testjobs.gate", key)).GetInt64(); // FULL_ADMIN is exempt
        await root.CallResultAsync("testjobs.release", key);
        foreach (var id in jobs.Append(adminJob))
        {
            await watcher.StateAsync(id, "SUCCESS");
        }

        (await user.CallResultAsync("testjobs.echo", "again")).GetInt64().Should().BePositive("finished jobs free the quota");
    }

    [Fact]
    public async Task Bulk_MoreItemsThanAllowed_IsRefusedWithoutAJob()
    {
        await using var user = await Daemon.ConnectAsAccountAsync("bulky");
        var before = await JobCount.OfAsync(user);

        var error = await user.CallErrorAsync("core.bulk", "testjobs.echo",
            Enumerable.Range(0, 6).Select(i => new object[] { i }).ToArray());

        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("extra")[0][0].GetString().Should().Be("core_bulk.params_list");
        (await JobCount.OfAsync(user)).Should().Be(before);
    }

    [Fact]
    public async Task Bulk_InsideBulk_IsRefusedWithoutAJob()
    {
        await using var user = await Daemon.ConnectAsAccountAsync("nester");
        var before = await JobCount.OfAsync(user);

        var error = await user.CallErrorAsync("core.bulk", "core.bulk",
            new[] { new object[] { "testjobs.echo", new[] { new object[] { 1 } } } });

        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("extra")[0][0].GetString().Should().Be("core_bulk.method");
        (await JobCount.OfAsync(user)).Should().Be(before);
    }

    [Fact]
    public async Task Bulk_WithinTheBounds_Runs()
    {
        await using var user = await Daemon.ConnectAsAccountAsync("bulkok");

        var id = (await user.CallResultAsync("core.bulk", "testjobs.echo",
            Enumerable.Range(0, 5).Select(i => new object[] { i }).ToArray())).GetInt64();

        (await user.CallResultAsync("core.job_wait", id)).GetArrayLength().Should().Be(5);
    }
}
