using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using JobServer.Hosting;
using JobServer.IntegrationTests.Jobs;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Hosting;

/// <summary>Issue 12 items 3 and 15: the data directory is private to the daemon, and to one daemon at a time.</summary>
public sealed partial class DataDirectoryTests
{
    private const UnixFileMode GroupOrOthers = (UnixFileMode)0b000_111_111;

    [UnsupportedOSPlatform("windows")]
    [SqliteOnlyFact("checks the mode of <data-dir>/jobserver.db, which PostgreSQL does not create")]
    public async Task DaemonFiles_AreTheOwnersOnly_AndAnOlderReadableFolderIsNarrowed()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-modes").FullName;
        File.SetUnixFileMode(dataDir, (UnixFileMode)Convert.ToInt32("755", 8));
        var leftOver = Path.Combine(dataDir, "left-over.db");
        await File.WriteAllTextAsync(leftOver, "from an older version");
        File.SetUnixFileMode(leftOver, (UnixFileMode)Convert.ToInt32("644", 8));
        try
        {
            await using (var daemon = await Daemon.StartAsync(JobsDaemon.Args, dataDir: dataDir))
            {
                await using var client = await daemon.ConnectAsRootAsync();
                var job = (await client.CallResultAsync("testjobs.log", 3)).GetInt64();
                await client.CallResultAsync("core.job_wait", job);

                var entries = Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories).ToList();
                entries.Should().Contain(Path.Combine(dataDir, "jobserver.db"))
                    .And.Contain(Path.Combine(dataDir, "jobserver.db-wal"))
                    .And.Contain(Path.Combine(dataDir, "jobs", $"{job}.log"));
                File.GetUnixFileMode(dataDir).Should().Be(PrivateFileModes.Folder);
                entries.Select(path => (path, mode: File.GetUnixFileMode(path) & GroupOrOthers))
                    .Where(entry => entry.mode != 0).Should().BeEmpty("nothing the daemon keeps is readable by others");
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task SecondDaemonInProcess_SameDataDir_IsRefused_UntilTheFirstIsDisposed()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-lock").FullName;
        try
        {
            var first = await Daemon.StartAsync(dataDir: dataDir);
            var refused = async () => await Daemon.StartAsync(dataDir: dataDir);

            var error = (await refused.Should().ThrowAsync<DataDirectoryInUseException>()).Which;
            error.Message.Should().Contain($"The data directory {dataDir} is in use by process {Environment.ProcessId}");
            await first.DisposeAsync();
            await using var second = await Daemon.StartAsync(dataDir: dataDir);
            await using var client = await second.ConnectAsRootAsync();
            (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task SecondDaemonProcess_SameDataDir_ExitsNamingTheFirst_AndLeavesItsJobsAlone()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-two").FullName;
        try
        {
            await using var first = await DaemonProcess.StartAsync(dataDir, JobsDaemon.Args);
            await using var client = await first.ConnectAsRootAsync();
            await using var watcher = await JobEvents.SubscribeAsync(await first.ConnectAsRootAsync());
            var running = (await client.CallResultAsync("exec.run", "sleep", new[] { "120" })).GetInt64();
            await watcher.StateAsync(running, "RUNNING");

            // The README's run command a second time, on a free port: before, it ran job recovery first.
            await using var second = DaemonExecutable.Start(
                ["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, .. JobsDaemon.Args],
                new Dictionary<string, string> { ["JOBSERVER_ROOT_PASSWORD"] = "another-password" });
            var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

            exitCode.Should().NotBe(0);
            var refusal = second.Lines.Single(line => line.Contains("is in use by process", StringComparison.Ordinal));
            var holder = InUseBy().Match(refusal);
            holder.Success.Should().BeTrue(refusal);
            var holderCommandLine = await File.ReadAllTextAsync($"/proc/{holder.Groups[1].Value}/cmdline");
            holderCommandLine.Should().Contain(dataDir, "the message names the first daemon's process");
            holder.Groups[2].Value.Should().Contain("JobServer.dll").And.Contain(dataDir);
            var job = (await client.CallResultAsync("core.get_jobs",
                (object)new object[] { new object[] { "id", "=", running } }))[0];
            job.GetProperty("state").GetString().Should().Be("RUNNING", "the refused daemon touched nothing");
            (await client.CallResultAsync("exec.run", "sleep", new[] { "0" })).GetInt64().Should().Be(running + 1);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [GeneratedRegex(@"is in use by process (\d+) \((.+)\)")]
    private static partial Regex InUseBy();
}
