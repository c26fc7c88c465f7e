using JobServer.IntegrationTests.Support;
using JobServer.Sdk;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>exec.run's options.env values are secrets: masked wherever a job is shown, real in the process (issue 12, item 8).</summary>
public sealed class ExecEnvironmentRedactionTests(JobsDaemon fixture) : IClassFixture<JobsDaemon>
{
    private const string Token = "s3cret-token-value";

    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Run_EnvValues_AreMaskedForReadonlyAdminAndOwner_ButReachTheProcess()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await using var auditor = await Daemon.ConnectAsAccountAsync("auditor", Role.ReadonlyAdmin);
        await using var auditorEvents = await JobEvents.SubscribeAsync(await Daemon.ConnectAsAccountAsync("auditor", Role.ReadonlyAdmin));

        // The shell compares with the token's two halves joined, so the command line itself never holds the token.
        var id = (await root.CallResultAsync("exec.run", "sh",
            new[] { "-c", "test \"$API_TOKEN\" = \"$0$1\"", Token[..6], Token[6..] },
            new { env = new Dictionary<string, string> { ["API_TOKEN"] = Token } })).GetInt64();

        var added = await auditorEvents.NextAsync(id, "added");
        added.GetRawText().Should().NotContain(Token, "events carry the redacted job");
        var done = await auditorEvents.StateAsync(id, "SUCCESS");
        done.GetProperty("result").GetProperty("exit_code").GetInt32().Should().Be(0, "the process got the real value");
        foreach (var viewer in new[] { auditor, root })
        {
            var job = (await viewer.CallResultAsync("core.get_jobs",
                (object)new object[] { new object[] { "id", "=", id } }))[0];
            job.GetRawText().Should().NotContain(Token);
            job.GetProperty("arguments")[2].GetProperty("env").GetProperty("API_TOKEN").GetString()
                .Should().Be("********");
        }
    }
}
