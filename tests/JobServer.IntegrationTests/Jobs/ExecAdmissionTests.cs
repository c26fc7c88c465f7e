using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>exec.run calls bound to fail are refused when they arrive and create no job (issue 12, items 7, 9, 10).</summary>
public sealed class ExecAdmissionTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Run_NotAllowedExecutable_IsRefusedAtCallTimeWithoutAJob()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("exec.run", "cat", Array.Empty<string>());

        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be("exec_run.command");
        error.GetProperty("reason").GetString().Should().Contain("'cat' is not an allowed executable");
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    [Fact]
    public async Task Run_NotAllowedExecutable_OverJsonRpc_IsInvalidParams()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();
        await using var counter = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(counter);

        var error = await client.CallErrorAsync("exec.run", "cat", Array.Empty<string>());

        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("data").GetProperty("error").GetInt32().Should().Be(22);
        (await JobCount.OfAsync(counter)).Should().Be(before);
    }

    [Fact]
    public async Task Run_MissingWorkingDirectory_IsRefusedAtCallTime()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("exec.run", "sleep", new[] { "1" }, new { cwd = "/no/such/directory" });

        error.GetProperty("extra")[0][0].GetString().Should().Be("exec_run.options.cwd");
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    public static TheoryData<object> BadTimeouts => new() { -1, 0, 1e12, 0.0001, "NaN", "10", true };

    [Theory]
    [MemberData(nameof(BadTimeouts))]
    public async Task Run_TimeoutOutOfRangeOrNotANumber_IsRefusedAtCallTime(object timeout)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("exec.run", "sleep", new[] { "1" }, new { timeout_seconds = timeout });

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().StartWith("exec_run.options");
        error.GetProperty("reason").GetString().Should().NotContain("System.", "the caller gets our words, not .NET's");
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    [Fact]
    public async Task Run_TimeoutOutOfRange_ReasonNamesTheAllowedRange()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("exec.run", "sleep", new[] { "1" }, new { timeout_seconds = -1 });

        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("extra")[0][0].GetString().Should().Be("exec_run.options.timeout_seconds");
        error.GetProperty("reason").GetString().Should().Contain("between 0.001 and 2592000 seconds");
    }

    [Theory]
    [InlineData("LD_PRELOAD", "/tmp/evil.so")]
    [InlineData("LD_LIBRARY_PATH", "/tmp")]
    [InlineData("BASH_ENV", "/tmp/evil.sh")]
    [InlineData("PYTHONSTARTUP", "/tmp/evil.py")]
    [InlineData("PATH", "/tmp")]
    [InlineData("ld_preload", "/tmp/evil.so")]
    public async Task Run_LoaderOrInterpreterVariable_IsRefusedAtCallTime(string name, string value)
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var before = await JobCount.OfAsync(client);

        var error = await client.CallErrorAsync("exec.run", "sh", new[] { "-c", "true" },
            new { env = new Dictionary<string, string> { [name] = value } });

        error.GetProperty("error").GetInt32().Should().Be(22);
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be($"exec_run.options.env.{name}");
        (await JobCount.OfAsync(client)).Should().Be(before);
    }

    [Fact]
    public async Task Run_OrdinaryVariable_ReachesTheProcess()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var id = (await client.CallResultAsync("exec.run", "sh", new[] { "-c", "test \"$BACKUP_TARGET\" = /srv" },
            new { env = new Dictionary<string, string> { ["BACKUP_TARGET"] = "/srv" } })).GetInt64();

        (await client.CallResultAsync("core.job_wait", id)).GetProperty("exit_code").GetInt32().Should().Be(0);
    }
}
