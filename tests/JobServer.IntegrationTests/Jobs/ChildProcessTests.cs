using System.Diagnostics;
using System.Globalization;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>
/// Issue 12, item 5: the processes of <c>exec.run</c> die with the daemon, and a restart kills what a crash left
/// before the next job on the same lock starts. A daemon process, killed with SIGKILL, and real child processes.
/// </summary>
public sealed class ChildProcessTests
{
    private static readonly string[] Args = ["--JobServer:Exec:Allowed:0=sleep", "--JobServer:Exec:Allowed:1=sh"];

    [Fact]
    public async Task DaemonKilled_ChildrenDieWithIt_RestartKillsLeftoversBeforeTheLockIsTakenAgain()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-children").FullName;
        var direct = Marker();
        var grandchild = Marker();
        var survivor = Marker();
        var lockName = Guid.NewGuid().ToString("N");
        long next;
        await using (var first = await DaemonProcess.StartAsync(dataDir, Args))
        {
            await using var client = await first.ConnectAsRootAsync();
            await using var watcher = await JobEvents.SubscribeAsync(await first.ConnectAsRootAsync());
            var sleeper = (await client.CallResultAsync("exec.run", "sleep", new[] { direct })).GetInt64();
            // The holder's sh leaves a grandchild whose parent is gone (no parent-death signal can reach it) and
            // sleeps itself: both stay in the holder's process group.
            var holder = (await client.CallResultAsync("exec.run", "sh",
                new[] { "-c", $"(sleep {grandchild} &); sleep {grandchild}" }, new { @lock = lockName })).GetInt64();
            await watcher.StateAsync(sleeper, "RUNNING");
            await watcher.StateAsync(holder, "RUNNING");
            (await ProcessTable.WaitUntilAsync(() => DirectSleeps(direct) == 1 &&
                                                     ProcessTable.CountRunning($"sleep {grandchild}") == 2,
                TimeSpan.FromSeconds(15))).Should().BeTrue("the jobs' processes should have started");
            // Waits on the lock; after the restart it may run only once no process of the holder lives.
            next = (await client.CallResultAsync("exec.run", "sh",
                new[] { "-c", NoneRunningScript(grandchild, survivor) }, new { @lock = lockName })).GetInt64();

            await first.CrashAsync();
        }

        (await ProcessTable.WaitUntilAsync(() => DirectSleeps(direct) == 0,
            TimeSpan.FromSeconds(10))).Should().BeTrue("a direct child must die with the daemon (parent-death signal)");

        // A recorded child that survived the crash, as a child in uninterruptible sleep or one that escaped the
        // signal would: a live process with its recorded start time.
        using var leftover = Process.Start("sleep", survivor);
        await ProcessTable.WaitUntilAsync(() => ProcessTable.CountRunning($"sleep {survivor}") == 1, TimeSpan.FromSeconds(5));
        File.WriteAllText(Path.Combine(dataDir, "children", $"{leftover.Id}.child"), string.Create(
            CultureInfo.InvariantCulture, $"{leftover.Id} {ProcessTable.StartTimeOf(leftover.Id)} 999999\n"));

        await using var second = await DaemonProcess.StartAsync(dataDir, Args);
        await using var again = await second.ConnectAsRootAsync();

        var waited = await again.CallAsync("core.job_wait", next);
        waited.TryGetProperty("error", out var error).Should()
            .BeFalse($"the next job on the lock must start only after the holder's processes are gone, got {error}");
        ProcessTable.CountRunning($"sleep {grandchild}").Should().Be(0);
        leftover.WaitForExit(TimeSpan.FromSeconds(5)).Should().BeTrue("the recorded survivor is killed at start-up");
        Directory.EnumerateFiles(Path.Combine(dataDir, "children")).Should().BeEmpty("records are cleared");
        await second.KillAsync();
        Directory.Delete(dataDir, recursive: true);
    }

    /// <summary>A shell script that exits 1 if a process <c>sleep &lt;marker&gt;</c> of either marker is running.</summary>
    private static string NoneRunningScript(string first, string second) =>
        "for f in /proc/[0-9]*/cmdline; do c=$(tr '\\0' ' ' < \"$f\" 2>/dev/null); " +
        $"case \"$c\" in 'sleep {first} '|'sleep {second} ') echo \"still running: $c\" >&2; exit 1;; esac; done; exit 0";

    /// <summary>exec.run starts <c>sleep</c> by its resolved path (<c>/usr/bin/sleep &lt;marker&gt;</c>).</summary>
    private static int DirectSleeps(string marker) =>
        ProcessTable.CountEndingWith($"/sleep {marker}");

    internal static string Marker() =>
        string.Create(CultureInfo.InvariantCulture, $"61.{Random.Shared.Next(100_000, 999_999)}");
}
