using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.JsonRpc;

public sealed class RequestTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task CorePing_Anonymous_AnswersResultWithTheId()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var response = await client.CallAsync("core.ping");

        response.GetProperty("jsonrpc").GetString().Should().Be("2.0");
        response.GetProperty("result").GetString().Should().Be("pong");
        response.TryGetProperty("error", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("7")]
    [InlineData("0")]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775807")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("-123456789012345678901234567890")]
    [InlineData("null")]
    [InlineData("\"caf\\u00e9\"")]
    public async Task Request_AnyValidId_IsEchoedVerbatim(string rawId)
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendTextAsync($$"""{"jsonrpc":"2.0","id":{{rawId}},"method":"core.ping","params":[]}""");

        var response = await client.ResponseAsync(rawId);

        response.GetProperty("result").GetString().Should().Be("pong");
    }

    [Fact]
    public async Task Request_WithoutParams_CallsWithNoArguments()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();
        await client.SendTextAsync("""{"jsonrpc":"2.0","id":"np","method":"core.ping"}""");

        (await client.ResponseAsync("\"np\"")).GetProperty("result").GetString().Should().Be("pong");
    }

    [Fact]
    public async Task VoidMethod_AnswersNullResult()
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();

        var response = await client.CallAsync("core.unsubscribe", "no-such-subscription");

        response.GetProperty("result").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Notification_IsExecutedButNeverAnswered()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        await client.NotifyAsync("auth.login", "root", Daemon.RootPassword);

        // Calls run concurrently, so the login may still be running: ask until it shows (each ask is a round trip).
        using var timeout = new CancellationTokenSource(WebSocketTestClient.DefaultTimeout);
        var me = await client.CallAsync("auth.me");
        while (me.TryGetProperty("error", out _) && !timeout.IsCancellationRequested)
        {
            me = await client.CallAsync("auth.me");
        }

        me.GetProperty("result").GetProperty("pw_name").GetString().Should().Be("root");
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        client.Unmatched.Should().BeEmpty("the notification gets no answer");
    }

    [Fact]
    public async Task Notification_ThatFails_IsNotAnsweredEither()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        await client.NotifyAsync("core.get_methods");
        await client.NotifyAsync("no.such_method");
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");
        (await client.CallResultAsync("core.ping")).GetString().Should().Be("pong");

        client.Unmatched.Should().BeEmpty();
    }

    [Theory]
    [InlineData("core.nope")]
    [InlineData("nothing.here")]
    [InlineData("ping")]
    [InlineData("core.")]
    public async Task UnknownMethod_IsMethodDoesNotExistWithoutData(string method)
    {
        await using var client = await Daemon.ConnectJsonRpcAsRootAsync();

        var error = await client.CallErrorAsync(method);

        error.GetProperty("code").GetInt32().Should().Be(-32601);
        error.GetProperty("message").GetString().Should().Be("Method does not exist");
        error.TryGetProperty("data", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Call_Anonymous_IsMethodCallError207()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var error = await client.CallErrorAsync("core.get_methods");

        error.GetProperty("code").GetInt32().Should().Be(-32001);
        error.GetProperty("message").GetString().Should().Be("Method call error");
        var data = error.GetProperty("data");
        data.GetProperty("error").GetInt32().Should().Be(207);
        data.GetProperty("errname").GetString().Should().Be("ENOTAUTHENTICATED");
        data.GetProperty("reason").GetString().Should().Be("[ENOTAUTHENTICATED] Not authenticated");
        data.GetProperty("trace").GetProperty("class").GetString().Should().Be("CallError");
        data.TryGetProperty("extra", out _).Should().BeTrue();
        data.TryGetProperty("type", out _).Should().BeFalse("JSON-RPC's data has no DDP type field");
    }

    [Fact]
    public async Task WrongArgumentType_IsInvalidParamsWithErrno22()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var error = await client.CallErrorAsync("auth.login", 5, "x");

        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("message").GetString().Should().Be("Invalid params");
        var data = error.GetProperty("data");
        data.GetProperty("error").GetInt32().Should().Be(22);
        data.GetProperty("errname").GetString().Should().Be("EINVAL");
        data.GetProperty("reason").GetString().Should().Contain("auth_login.username");
        data.GetProperty("extra")[0][0].GetString().Should().Be("auth_login.username");
        data.GetProperty("extra")[0][2].GetInt32().Should().Be(22);
    }

    [Fact]
    public async Task MissingArgument_IsInvalidParams()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var error = await client.CallErrorAsync("auth.login", "root");

        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("data").GetProperty("extra")[0][1].GetString().Should().Be("Field required");
    }

    [Fact]
    public async Task TooManyCallsInFlight_AreRefusedWith32000()
    {
        // Failed logins are held 3 s here, so 20 of them are surely still in flight when the 21st arrives.
        await using var daemon = await Daemon.StartAsync(["--JobServer:Auth:FailedLoginDelayMilliseconds=3000"]);
        await using var client = await daemon.ConnectJsonRpcAsRootAsync();
        var ids = new List<long>();
        for (var i = 0; i < 21; i++)
        {
            ids.Add(await client.SendRequestAsync("auth.login", "root", "wrong"));
        }

        var refused = (await client.ResponseAsync(ids[20].ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .GetProperty("error");
        refused.GetProperty("code").GetInt32().Should().Be(-32000);
        refused.GetProperty("message").GetString().Should()
            .Be("Maximum number of concurrent calls (20) has exceeded");
        refused.TryGetProperty("data", out _).Should().BeFalse();
        foreach (var id in ids.Take(20))
        {
            (await client.ResponseAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .GetProperty("result").GetBoolean().Should().BeFalse();
        }
    }

    [Fact]
    public async Task ConcurrentCalls_ResultsComeBackOutOfOrder()
    {
        await using var client = await Daemon.ConnectJsonRpcAsync();

        var slow = await client.SendRequestAsync("auth.login", "root", "wrong");
        var fast = await client.SendRequestAsync("core.ping");

        var first = await client.ReceiveAsync(JsonRpcClient.IsResponse);
        first.GetProperty("id").GetInt64().Should().Be(fast);
        (await client.ResponseAsync(slow.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .GetProperty("result").GetBoolean().Should().BeFalse();
    }
}
