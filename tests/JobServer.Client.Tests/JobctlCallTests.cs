using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

/// <summary>jobctl's midclt verbs (call, ping, subscribe), its exit codes and where it takes credentials from.</summary>
public sealed class JobctlCallTests(CliDaemonFixture fixture) : IClassFixture<CliDaemonFixture>
{
    [Fact]
    public async Task Ping_WithPassword_PrintsPong()
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, "ping"]);

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Trim().Should().Be("pong");
    }

    [Fact]
    public async Task Call_JsonAndStringArguments_PrintsResultAsJson()
    {
        await using var jobctl = await Jobctl.RunAsync(
            [.. fixture.AsRoot, "call", "user.query", """[["username","=","root"]]""", """{"select":["username"]}"""]);

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Trim().Should().Be("""[{"username":"root"}]""");
    }

    [Fact]
    public async Task Call_StdinArgument_ReadsOneJsonValue()
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, "call", "-j", "testjobs.echo", "-"],
            stdin: """{"from": "stdin", "n": [1, 2]}""");

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        JsonDocument.Parse(jobctl.Stdout).RootElement.GetProperty("from").GetString().Should().Be("stdin");
    }

    [Fact]
    public async Task Call_JobWithoutTerminal_PrintsDescriptionLinesAndResult()
    {
        var gate = $"cli-{Guid.NewGuid():N}";
        await using var jobctl = Jobctl.Start([.. fixture.AsRoot, "call", "-j", "testjobs.progress", "4", gate]);

        await jobctl.WaitForOutputAsync("^50%: step 4 of 4$");
        await ReleaseAsync(gate);

        (await jobctl.WaitForExitAsync()).Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Trim().Should().Be("4");
        jobctl.Stderr.Should().Contain("50%: step 4 of 4").And.NotContain("━", "no bar when stderr is not a terminal");
    }

    [Fact]
    public async Task Call_JobOnTerminal_DrawsProgressBar()
    {
        var gate = $"cli-pty-{Guid.NewGuid():N}";
        await using var jobctl = Jobctl.Start([.. fixture.AsRoot, "call", "-j", "testjobs.progress", "4", gate], onTerminal: true);

        await jobctl.WaitForOutputAsync("step 4 of 4");
        await ReleaseAsync(gate);

        (await jobctl.WaitForExitAsync()).Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Should().Contain("━", "Spectre.Console's bar is drawn on a terminal").And.Contain("100%");
    }

    [Fact]
    public async Task Call_JobPrintDescriptionOnTerminal_PrintsLinesNotBar()
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, "call", "-jp", "description", "testjobs.echo", "1"],
            onTerminal: true);

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Should().Contain("100%").And.NotContain("━");
    }

    [Fact]
    public async Task Call_JobFails_ExitsOneWithItsReason()
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, "call", "-j", "testjobs.fail", "it broke"]);

        jobctl.ExitCode.Should().Be(1);
        jobctl.Stderr.Should().MatchRegex(@"job \d+ failed: \[EINVAL\] it broke");
    }

    [Fact]
    public async Task Call_JobFailsWithJson_PrintsErrorObject()
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, "--json", "call", "-j", "testjobs.invalid"]);

        jobctl.ExitCode.Should().Be(1);
        var error = JsonDocument.Parse(jobctl.Stderr).RootElement;
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be("testjobs_invalid.field");
        error.GetProperty("job_id").GetInt64().Should().BePositive();
    }

    [Fact]
    public async Task Call_UnknownMethod_ExitsOne()
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, "call", "nothing.here"]);

        jobctl.ExitCode.Should().Be(1);
        jobctl.Stderr.Should().Contain("[ENOMETHOD] Method does not exist: nothing.here");
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("call")]
    [InlineData("call -jp fancy core.ping")]
    [InlineData("--no-such-option ping")]
    public async Task BadUsage_ExitsTwo(string args)
    {
        await using var jobctl = await Jobctl.RunAsync([.. fixture.AsRoot, .. args.Split(' ')]);

        jobctl.ExitCode.Should().Be(2, jobctl.ToString());
    }

    [Fact]
    public async Task NothingListening_ExitsThree()
    {
        await using var jobctl = await Jobctl.RunAsync(["-u", "http://127.0.0.1:1", "ping"]);

        jobctl.ExitCode.Should().Be(3);
    }

    [Fact]
    public async Task WrongPassword_ExitsThreeWithoutShowingIt()
    {
        await using var jobctl = await Jobctl.RunAsync(["-u", fixture.Daemon.Url.ToString(), "-U", "root", "-P", "not-the-password", "ping"]);

        jobctl.ExitCode.Should().Be(3);
        jobctl.Stderr.Should().Contain("Sign-in refused").And.NotContain("not-the-password");
    }

    [Fact]
    public async Task PasswordStdin_SignsIn()
    {
        await using var jobctl = await Jobctl.RunAsync(
            ["-u", fixture.Daemon.Url.ToString(), "-U", "root", "--password-stdin", "call", "auth.me"],
            stdin: ProbeCredentials.RootPassword + "\n");

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        JsonDocument.Parse(jobctl.Stdout).RootElement.GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task Environment_UrlAndApiKey_SignIn()
    {
        var key = await CreateApiKeyAsync();

        await using var jobctl = await Jobctl.RunAsync(["call", "auth.me"], new Dictionary<string, string?>
        {
            ["JOBSERVER_URL"] = fixture.Daemon.Url.ToString(),
            ["JOBSERVER_API_KEY"] = key,
        });

        jobctl.ExitCode.Should().Be(0, jobctl.ToString());
        jobctl.Stdout.Should().Contain("\"pw_name\":\"root\"");
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, 0)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, 2)]
    public async Task ConfigFile_UsedOnlyWhenPrivate(UnixFileMode mode, int exitCode)
    {
        var home = Directory.CreateTempSubdirectory("jobctl-home-").FullName;
        var config = Path.Combine(home, ".config", "jobctl", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            url = fixture.Daemon.Url.ToString(),
            username = "root",
            password = ProbeCredentials.RootPassword,
        }));
        File.SetUnixFileMode(config, mode);

        await using var jobctl = await Jobctl.RunAsync(["call", "auth.me"],
            new Dictionary<string, string?> { ["HOME"] = home, ["XDG_CONFIG_HOME"] = null });

        jobctl.ExitCode.Should().Be(exitCode, jobctl.ToString());
        if (exitCode == 2)
        {
            jobctl.Stderr.Should().Contain("chmod 600");
        }
    }

    [Fact]
    public async Task Subscribe_StopsAfterNEvents()
    {
        await using var jobctl = Jobctl.Start([.. fixture.AsRoot, "subscribe", "-n", "2", "core.get_jobs"]);
        await using var client = await fixture.Daemon.ConnectAsRootAsync();

        // jobctl says nothing once subscribed: jobs are started until it has seen two events and exited.
        for (var i = 0; i < 100 && !jobctl.HasExited; i++)
        {
            await client.CallJobAsync<JsonElement>("testjobs.echo", [i]);
        }

        (await jobctl.WaitForExitAsync()).Should().Be(0, jobctl.ToString());
        var lines = jobctl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        JsonDocument.Parse(lines[0]).RootElement.GetProperty("collection").GetString().Should().Be("core.get_jobs");
    }

    private async Task ReleaseAsync(string gate)
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        await client.CallAsync("testjobs.release", [gate]);
    }

    private async Task<string> CreateApiKeyAsync()
    {
        await using var client = await fixture.Daemon.ConnectAsRootAsync();
        return (await client.CallAsync<JsonElement>("api_key.create", [new { name = $"cli-{Guid.NewGuid():N}" }]))
            .GetProperty("key").GetString()!;
    }
}
