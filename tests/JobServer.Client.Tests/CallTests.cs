using System.Text.Json;
using JobServer.Client.Tests.Support;

namespace JobServer.Client.Tests;

public sealed class CallTests(ClientDaemonFixture fixture) : IClassFixture<ClientDaemonFixture>
{
    private ClientDaemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData(JobServerDialect.JsonRpc)]
    [InlineData(JobServerDialect.Ddp)]
    public async Task CallAsync_SignedIn_ReturnsTypedResult(JobServerDialect dialect)
    {
        await using var client = await Daemon.ConnectAsRootAsync(dialect);

        (await client.CallAsync<string>("core.ping")).Should().Be("pong");
        var me = await client.CallAsync<JsonElement>("auth.me");
        me.GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Theory]
    [InlineData(JobServerDialect.JsonRpc)]
    [InlineData(JobServerDialect.Ddp)]
    public async Task CallAsync_Refused_RaisesErrnoAndReason(JobServerDialect dialect)
    {
        await using var client = await JobServerClient.ConnectAsync(Daemon.Options(dialect));

        var refused = await FluentActions.Awaiting(() => client.CallAsync<JsonElement>("user.query"))
            .Should().ThrowAsync<JobServerCallException>();
        refused.Which.Errno.Should().Be(207);
        refused.Which.Reason.Should().Contain("Not authenticated");
        refused.Which.Method.Should().Be("user.query");
    }

    [Fact]
    public async Task CallAsync_ValidationError_CarriesExtra()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var refused = await FluentActions.Awaiting(() => client.CallAsync<JsonElement>("user.create", [new { username = "" }]))
            .Should().ThrowAsync<JobServerCallException>();
        refused.Which.ErrorType.Should().Be("VALIDATION");
        refused.Which.Extra.Should().NotBeNull();
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_RefusesSignIn()
    {
        var connect = () => JobServerClient.ConnectAsync(Daemon.Options() with
        {
            Credentials = JobServerCredentials.Password("root", "wrong"),
        });

        var refused = await connect.Should().ThrowAsync<JobServerConnectionException>();
        refused.Which.SignInRefused.Should().BeTrue();
        refused.Which.Message.Should().NotContain("wrong", "the secret is never shown");
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_FailsAsConnectionError()
    {
        var connect = () => JobServerClient.ConnectAsync(new JobServerClientOptions { Url = new Uri("http://127.0.0.1:1") });

        (await connect.Should().ThrowAsync<JobServerConnectionException>()).Which.SignInRefused.Should().BeFalse();
    }

    [Fact]
    public async Task ConnectAsync_ApiKeyAndToken_SignIn()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var key = (await root.CallAsync<JsonElement>("api_key.create", [new { name = $"k{Guid.NewGuid():N}" }]))
            .GetProperty("key").GetString()!;
        var token = await root.CallAsync<string>("auth.generate_token", [600, new { }, false]);

        await using var byKey = await JobServerClient.ConnectAsync(Daemon.Options() with { Credentials = JobServerCredentials.ApiKey(key) });
        await using var byToken = await JobServerClient.ConnectAsync(Daemon.Options() with { Credentials = JobServerCredentials.Token(token) });

        (await byKey.CallAsync<JsonElement>("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
        (await byToken.CallAsync<JsonElement>("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task CallAsync_NoAnswerInTime_TimesOut()
    {
        await using var client = await JobServerClient.ConnectAsync(Daemon.Options() with
        {
            Credentials = JobServerCredentials.Password("root", ProbeCredentials.RootPassword),
            // Long enough for core.set_options to answer on a loaded CI machine (200 ms was not, once); the gate
            // below never opens, so the test still waits this long only once.
            CallTimeout = TimeSpan.FromSeconds(2),
        });
        await client.CallAsync("core.set_options", [new { legacy_jobs = false }]);

        // With legacy_jobs off a job method answers when its job ends; this one waits for a gate never opened.
        var call = () => client.CallAsync<JsonElement>("testjobs.gate", [$"never-{Guid.NewGuid():N}"]);

        await call.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task CallAsync_Cancelled_StopsWaiting()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        await client.CallAsync("core.set_options", [new { legacy_jobs = false }]);
        using var cancel = new CancellationTokenSource();

        var call = client.CallAsync<JsonElement>("testjobs.gate", [$"never-{Guid.NewGuid():N}"], cancel.Token);
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OperationCanceledException>();
    }
}
