using System.Security.Cryptography;
using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

/// <summary>What jobctl adds to midclt: jobs list/show/logs/abort/wait, upload and download.</summary>
public sealed class JobctlJobsTests(CliDaemonFixture fixture) : IClassFixture<CliDaemonFixture>
{
    [Fact]
    public async Task JobsList_FiltersByMethodAndState_AsTableAndJson()
    {
        var id = await RunEchoAsync();

        await using var table = await Jobctl.RunAsync([.. fixture.AsRoot, "jobs", "list", "--method", "testjobs.echo", "--state", "SUCCESS"]);
        await using var json = await Jobctl.RunAsync([.. fixture.AsRoot, "--json", "jobs", "list", "--method", "testjobs.echo"]);

        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().MatchRegex($@"(?m)^\s*{id}\s+testjobs\.echo\s+SUCCESS");
        table.Stdout.Should().Contain("METHOD");
        json.ExitCode.Should().Be(0);
        JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetInt64())
            .Should().Contain(id);
    }

    [Fact]
    public async Task JobsShow_PrintsFields_AndMissingJobExitsOne()
    {
        var id = await RunEchoAsync();

        await using var show = await Jobctl.RunAsync([.. fixture.AsRoot, "jobs", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await using var missing = await Jobctl.RunAsync([.. fixture.AsRoot, "jobs", "show", "987654321"]);

        show.ExitCode.Should().Be(0, show.ToString());
        show.Stdout.Should().MatchRegex(@"(?m)^method\s+testjobs\.echo").And.MatchRegex(@"(?m)^state\s+SUCCESS");
        missing.ExitCode.Should().Be(1);
        missing.Stderr.Should().Contain("[ENOENT] Job with id 987654321 does not exist");
    }

    [Fact]
    public async Task JobsLogs_PrintsTheLog()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        var id = await client.CallAsync<long>("testjobs.log", [3]);
        await client.WaitJobAsync<int>(id);

        await using var logs = await Jobctl.RunAsync([.. fixture.AsRoot, "jobs", "logs", Id(id)]);

        logs.ExitCode.Should().Be(0, logs.ToString());
        logs.Stdout.Should().Be("line 1\nline 2\nline 3\n");
    }

    [Fact]
    public async Task JobsLogsFollow_PrintsLinesAsTheJobWritesThem_UntilItEnds()
    {
        var flag = Path.Combine(Path.GetTempPath(), $"jobctl-follow-{Guid.NewGuid():N}");
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        // The script logs one line, waits for the test's flag file, logs another and ends.
        var id = await client.CallAsync<long>("exec.run",
            ["sh", new[] { "-c", $"echo first; while [ ! -e {flag} ]; do sleep 0.05; done; echo second" }]);

        await using var follow = Jobctl.Start([.. fixture.AsRoot, "jobs", "logs", "-f", Id(id)]);
        await follow.WaitForOutputAsync("^first$");
        follow.Stdout.Should().NotContain("second");
        await File.WriteAllTextAsync(flag, "");

        (await follow.WaitForExitAsync()).Should().Be(0, follow.ToString());
        follow.Stdout.Should().Be("first\nsecond\n");
        File.Delete(flag);
    }

    [Fact]
    public async Task JobsAbortAndWait_AbortedJobWaitExitsOne()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        var id = await client.CallAsync<long>("testjobs.gate", [$"cli-abort-{Guid.NewGuid():N}"]);

        await using var abort = await Jobctl.RunAsync([.. fixture.AsRoot, "jobs", "abort", Id(id)]);
        await using var wait = await Jobctl.RunAsync([.. fixture.AsRoot, "jobs", "wait", Id(id)]);

        abort.ExitCode.Should().Be(0, abort.ToString());
        wait.ExitCode.Should().Be(1, wait.ToString());
        wait.Stderr.Should().Contain($"job {id} aborted");
    }

    [Fact]
    public async Task JobsWait_PrintsTheResult()
    {
        var gate = $"cli-wait-{Guid.NewGuid():N}";
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        var id = await client.CallAsync<long>("testjobs.gate", [gate]);

        await using var wait = Jobctl.Start([.. fixture.AsRoot, "jobs", "wait", Id(id)]);
        await client.CallAsync("testjobs.release", [gate]);

        (await wait.WaitForExitAsync()).Should().Be(0, wait.ToString());
        wait.Stdout.Trim().Should().Be(gate);
    }

    [Fact]
    public async Task Upload_StreamsTheFileIntoTheJob()
    {
        var file = Path.GetTempFileName();
        var data = RandomNumberGenerator.GetBytes(3 << 20);
        await File.WriteAllBytesAsync(file, data);

        await using var upload = await Jobctl.RunAsync([.. fixture.AsRoot, "upload", "testjobs.consume", "[]", file]);

        upload.ExitCode.Should().Be(0, upload.ToString());
        var result = JsonDocument.Parse(upload.Stdout).RootElement;
        result.GetProperty("bytes").GetInt64().Should().Be(data.Length);
        result.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(data)));
        File.Delete(file);
    }

    [Fact]
    public async Task Upload_FromStdin()
    {
        await using var upload = await Jobctl.RunAsync([.. fixture.AsRoot, "upload", "testjobs.consume", "[]", "-"], stdin: "hello");

        upload.ExitCode.Should().Be(0, upload.ToString());
        JsonDocument.Parse(upload.Stdout).RootElement.GetProperty("bytes").GetInt64().Should().Be(5);
    }

    [Fact]
    public async Task Download_WritesTheJobsOutputToTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"jobctl-download-{Guid.NewGuid():N}");

        await using var download = await Jobctl.RunAsync([.. fixture.AsRoot, "download", "testjobs.produce", "[300000]", "-o", file]);

        download.ExitCode.Should().Be(0, download.ToString());
        var bytes = await File.ReadAllBytesAsync(file);
        bytes.Should().HaveCount(300_000);
        bytes.Select((b, i) => b == (byte)(i % 251)).Should().AllBeEquivalentTo(true);
        File.Delete(file);
    }

    [Fact]
    public async Task Download_NotAListOfArguments_ExitsTwo()
    {
        await using var download = await Jobctl.RunAsync([.. fixture.AsRoot, "download", "testjobs.produce", "300000"]);

        download.ExitCode.Should().Be(2, download.ToString());
    }

    private async Task<long> RunEchoAsync()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        var id = await client.CallAsync<long>("testjobs.echo", ["listed"]);
        await client.WaitJobAsync<JsonElement>(id);
        return id;
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
