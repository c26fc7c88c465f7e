using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

public sealed class ExecTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Run_ExitZero_SucceedsWithStdoutTailAndProgress()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = (await client.CallResultAsync("exec.run", "sh",
            new[] { "-c", "echo 'PROGRESS 40 copying'; echo out1; echo err1 >&2; echo out2" })).GetInt64();
        var job = await watcher.StateAsync(id, "SUCCESS");

        job.GetProperty("result").GetProperty("exit_code").GetInt32().Should().Be(0);
        job.GetProperty("result").GetProperty("stdout_tail").GetString().Should().EndWith("out1\nout2");
        job.GetProperty("progress").GetProperty("description").GetString().Should().Be("copying");
        var log = File.ReadAllText(job.GetProperty("logs_path").GetString()!);
        log.Should().Contain("out1").And.Contain("[stderr] err1");
    }

    [Fact]
    public async Task Run_NonZeroExit_FailsWithStderrTail()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = (await client.CallResultAsync("exec.run", "sh", new[] { "-c", "echo disk full >&2; exit 3" })).GetInt64();
        var job = await watcher.StateAsync(id, "FAILED");

        job.GetProperty("error").GetString().Should().Be("[EFAULT] disk full");
        job.GetProperty("exc_info").GetProperty("extra").GetProperty("exit_code").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Run_SameLock_SecondWaits_DifferentLocks_BothRun()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var lockName = Guid.NewGuid().ToString("N");

        var first = (await client.CallResultAsync("exec.run", "sleep", new[] { "30" }, new { @lock = lockName })).GetInt64();
        await watcher.StateAsync(first, "RUNNING");
        var second = (await client.CallResultAsync("exec.run", "sleep", new[] { "30" }, new { @lock = lockName })).GetInt64();
        var other = (await client.CallResultAsync("exec.run", "sleep", new[] { "30" }, new { @lock = lockName + "-other" })).GetInt64();
        await watcher.StateAsync(other, "RUNNING");
        (await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", second } }))[0]
            .GetProperty("state").GetString().Should().Be("WAITING");

        await client.CallResultAsync("core.job_abort", first);
        await watcher.StateAsync(first, "ABORTED");
        await watcher.StateAsync(second, "RUNNING");

        await client.CallResultAsync("core.job_abort", second);
        await client.CallResultAsync("core.job_abort", other);
        await watcher.StateAsync(second, "ABORTED");
        await watcher.StateAsync(other, "ABORTED");
    }

    [Fact]
    public async Task Abort_SleepingProcessTree_IsKilled()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var marker = "61." + Random.Shared.Next(100_000, 999_999);

        var id = (await client.CallResultAsync("exec.run", "sh", new[] { "-c", $"sleep {marker} & sleep {marker}; wait" })).GetInt64();
        await watcher.StateAsync(id, "RUNNING");
        await WaitUntilAsync(() => ProcessesWith(marker) == 2);

        await client.CallResultAsync("core.job_abort", id);

        var aborted = await watcher.StateAsync(id, "ABORTED");
        aborted.GetProperty("error").GetString().Should().Be("Aborted by root");
        await WaitUntilAsync(() => ProcessesWith(marker) == 0);
    }

    [Fact]
    public async Task Run_Timeout_AbortsTheJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());

        var id = (await client.CallResultAsync("exec.run", "sleep", new[] { "30" }, new { timeout_seconds = 0.3 })).GetInt64();

        var job = await watcher.StateAsync(id, "ABORTED");
        job.GetProperty("error").GetString().Should().StartWith("Timed out after 0.3 s");
    }

    [Fact]
    public async Task Abort_GrandchildWhoseParentExited_NoProcessOfTheGroupOutlivesTheJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var marker = ChildProcessTests.Marker();

        // "(sleep &)" leaves a grandchild whose parent exited: no parent link leads to it any more, only its group.
        var id = (await client.CallResultAsync("exec.run", "sh", new[] { "-c", $"(sleep {marker} &); sleep {marker}" })).GetInt64();
        await watcher.StateAsync(id, "RUNNING");
        await WaitUntilAsync(() => ProcessesWith(marker) == 2);

        await client.CallResultAsync("core.job_abort", id);

        await watcher.StateAsync(id, "ABORTED");
        ProcessesWith(marker).Should().Be(0, "the job ends only once its whole group is gone");
    }

    [Fact]
    public async Task Timeout_GrandchildWhoseParentExited_NoProcessOfTheGroupOutlivesTheJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await using var watcher = await JobEvents.SubscribeAsync(await Daemon.ConnectAsRootAsync());
        var marker = ChildProcessTests.Marker();

        var id = (await client.CallResultAsync("exec.run", "sh", new[] { "-c", $"(sleep {marker} &); sleep {marker}" },
            new { timeout_seconds = 1.5 })).GetInt64();

        var job = await watcher.StateAsync(id, "ABORTED");
        job.GetProperty("error").GetString().Should().StartWith("Timed out after 1.5 s");
        ProcessesWith(marker).Should().Be(0, "the job ends only once its whole group is gone");
    }

    [Fact]
    public async Task Run_UnknownOption_IsRefusedAtCallTime()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("exec.run", "sleep", new[] { "1" }, new { shell = true });

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().StartWith("exec_run.options");
    }

    private static int ProcessesWith(string marker) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Count(path =>
            {
                try
                {
                    return File.Exists(path) && File.ReadAllText(path).Replace('\0', ' ').Trim() == $"sleep {marker}";
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            });

    /// <summary>Polls a condition about the operating system (no event tells when a process appears or dies).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 15 s");
            await Task.Delay(50);
        }
    }
}
