using System.Net;
using System.Text.Json;
using JobServer.Auth;
using JobServer.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>
/// Issue 12 item 1: one sign-in guard behind every door, with the shipped defaults (5 wrong passwords per account,
/// 20 failures per address, then 1 s doubling) on a fake clock.
/// </summary>
public sealed class SignInGuardTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WrongPasswords_OverEveryMethodAndDoor_ShareOneBudget_ThenEvenTheRightOneWaits()
    {
        await using var daemon = await StartAsync();
        await using (var root = await daemon.ConnectAsRootAsync())
        {
            await root.CreateUserAsync("colleague");
        }

        await using var guesser = await daemon.ConnectAsync();
        (await guesser.CallResultAsync("auth.login", "root", "guess-1")).GetBoolean().Should().BeFalse();
        (await guesser.CallResultAsync("auth.login", "root", "guess-2")).GetBoolean().Should().BeFalse();
        (await LoginExAsync(guesser, "guess-3")).Should().Be("AUTH_ERR");
        (await LoginExAsync(guesser, "guess-4")).Should().Be("AUTH_ERR");
        (await UploadAsync(daemon, "guess-5")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await guesser.CallResultAsync("auth.login", "root", "guess-6")).GetBoolean().Should().BeFalse(
            "five failures were free; this sixth is checked, and starts the back-off");

        var right = await guesser.CallErrorAsync("auth.login", "root", Daemon.RootPassword);
        var wrong = await guesser.CallErrorAsync("auth.login", "root", "guess-7");
        using var http = await UploadAsync(daemon, Daemon.RootPassword);
        await using var colleague = await daemon.ConnectAsAsync("colleague");

        right.Errno().Should().Be(16);
        right.Reason().Should().Be("[EBUSY] Rate Limit Exceeded");
        right.GetProperty("extra").GetProperty("retry_after").GetInt32().Should().Be(1);
        wrong.GetRawText().Should().Be(right.GetRawText(), "a locked-out account must not tell a right password");
        http.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        http.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        var body = await Transfer.JsonAsync(http);
        body.GetProperty("errno").GetInt32().Should().Be(16);
        body.GetProperty("error").GetString().Should().Be("EBUSY");
        (await colleague.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("colleague",
            "root's back-off is root's; the address had failures to spare");
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await guesser.CallResultAsync("auth.login", "root", Daemon.RootPassword)).GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task AnotherAccountsFailures_BlockTheAddressOnlyForItsBackoff()
    {
        await using var daemon = await StartAsync();
        await using var guesser = await daemon.ConnectAsync();
        for (var i = 0; i < 21; i++)
        {
            // One guess per (unknown) account: only the address's budget runs out.
            (await guesser.CallResultAsync("auth.login", $"user{i}", "guess")).GetBoolean().Should().BeFalse();
        }

        await using var root = await daemon.ConnectAsync();
        var refused = await root.CallErrorAsync("auth.login", "root", Daemon.RootPassword);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var signedIn = await root.CallResultAsync("auth.login", "root", Daemon.RootPassword);

        refused.Errno().Should().Be(16);
        refused.GetProperty("extra").GetProperty("retry_after").GetInt32().Should().Be(1);
        signedIn.GetBoolean().Should().BeTrue("the address's back-off is over");
    }

    [Fact]
    public async Task BadKeysAndTokens_CountAgainstTheAddress_NotTheAccount()
    {
        await using var daemon = await StartAsync();
        await using var guesser = await daemon.ConnectAsync();
        for (var i = 0; i < 6; i++)
        {
            var answer = await guesser.CallResultAsync("auth.login_ex",
                new { mechanism = "API_KEY_PLAIN", username = "root", api_key = $"{i + 1}-not-the-secret" });
            answer.GetProperty("response_type").GetString().Should().Be("AUTH_ERR");
        }

        await using (var root = await daemon.ConnectAsRootAsync())
        {
            // Six bad keys naming root did not make root's password back off.
            (await root.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
        }

        for (var i = 0; i < 15; i++)
        {
            (await guesser.CallResultAsync("auth.login_with_token", $"not-a-token-{i}")).GetBoolean().Should().BeFalse();
        }

        await using var late = await daemon.ConnectAsync();
        (await late.CallErrorAsync("auth.login", "root", Daemon.RootPassword)).Errno().Should().Be(16,
            "21 failures of any kind from one address make it back off");
    }

    [Fact]
    public async Task HashQueueFull_SignInIsRefusedAtOnce_OverEveryDoor_AndNotCountedAsAFailure()
    {
        await using var daemon = await StartAsync(
            "--JobServer:Auth:PasswordHashConcurrency=1", "--JobServer:Auth:PasswordHashQueueLimit=0");
        var queue = daemon.Services.GetRequiredService<PasswordHashQueue>();
        await using var ddp = await daemon.ConnectAsync();
        await using var jsonRpc = await daemon.ConnectJsonRpcAsync();
        JsonElement ddpRefusal, jsonRpcRefusal;
        HttpResponseMessage httpRefusal;
        using (await queue.TryEnterAsync(CancellationToken.None))
        {
            // The one hash slot is busy and none may wait: every password check is refused without waiting.
            ddpRefusal = await ddp.CallErrorAsync("auth.login", "root", Daemon.RootPassword);
            jsonRpcRefusal = await jsonRpc.CallErrorAsync("auth.login_ex",
                new { mechanism = "PASSWORD_PLAIN", username = "root", password = Daemon.RootPassword });
            for (var i = 0; i < 5; i++)
            {
                (await ddp.CallErrorAsync("auth.login", "root", "wrong")).Errno().Should().Be(16);
            }

            httpRefusal = await UploadAsync(daemon, Daemon.RootPassword);
        }

        ddpRefusal.Errno().Should().Be(16);
        ddpRefusal.GetProperty("extra").GetProperty("retry_after").GetInt32().Should().BePositive();
        jsonRpcRefusal.GetProperty("data").GetProperty("error").GetInt32().Should().Be(16);
        jsonRpcRefusal.GetProperty("data").GetProperty("extra").GetProperty("retry_after").GetInt32().Should().BePositive();
        httpRefusal.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        httpRefusal.Headers.RetryAfter!.Delta.Should().BePositive();
        (await ddp.CallResultAsync("auth.login", "root", Daemon.RootPassword)).GetBoolean().Should().BeTrue(
            "refused checks were no failures: root has not backed off");
        httpRefusal.Dispose();
    }

    /// <summary>The guard's shipped defaults; failed answers not held (a hold would wait on the fake clock).</summary>
    private Task<Daemon> StartAsync(params string[] extraArgs) => Daemon.StartAsync(
    [
        "--JobServer:Auth:AccountFailuresBeforeBackoff=5",
        "--JobServer:Auth:AddressFailuresBeforeBackoff=20",
        "--JobServer:Auth:FirstBackoffSeconds=1",
        "--JobServer:Auth:LockoutSeconds=900",
        "--JobServer:Auth:FailedLoginDelayMilliseconds=0",
        .. extraArgs,
    ], time: _clock);

    private static async Task<string?> LoginExAsync(DdpClient client, string password) =>
        (await client.CallResultAsync("auth.login_ex",
            new { mechanism = "PASSWORD_PLAIN", username = "root", password })).GetProperty("response_type").GetString();

    /// <summary>An upload with Basic credentials: the HTTP door (refused before the call is looked at).</summary>
    private static async Task<HttpResponseMessage> UploadAsync(Daemon daemon, string password)
    {
        using var http = Transfer.Client(daemon.BaseUri);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_upload")
        {
            Content = Transfer.Multipart(("data", Transfer.Data("filesystem.put", "/nowhere")),
                ("file", new ByteArrayContent([1]))),
        };
        request.Headers.Authorization = Transfer.Basic("root", password);
        return await http.SendAsync(request);
    }
}
