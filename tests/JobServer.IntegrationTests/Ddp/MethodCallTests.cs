using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Ddp;

public sealed class MethodCallTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task CorePing_Anonymous_ReturnsPongThenUpdated()
    {
        await using var client = await Daemon.ConnectAsync();
        var id = await client.SendCallAsync("core.ping");

        var result = await client.ResultOfAsync(id);
        var updated = await client.ReceiveAsync(m => m.Msg() == "updated");

        result.GetProperty("result").GetString().Should().Be("pong");
        updated.GetProperty("methods")[0].GetString().Should().Be(id);
    }

    [Fact]
    public async Task Call_Anonymous_IsRefusedWithEnotauthenticated()
    {
        await using var client = await Daemon.ConnectAsync();

        var error = await client.CallErrorAsync("core.get_methods");

        error.GetProperty("error").GetInt32().Should().Be(207);
        error.GetProperty("errname").GetString().Should().Be("ENOTAUTHENTICATED");
        error.GetProperty("reason").GetString().Should().Be("[ENOTAUTHENTICATED] Not authenticated");
        error.GetProperty("errorType").GetString().Should().Be("Meteor.Error");
    }

    [Fact]
    public async Task Login_RightPassword_AuthenticatesTheSession()
    {
        await using var client = await Daemon.ConnectAsync();

        (await client.CallResultAsync("auth.login", "root", Daemon.RootPassword)).GetBoolean().Should().BeTrue();

        var me = await client.CallResultAsync("auth.me");
        me.GetProperty("pw_name").GetString().Should().Be("root");
        me.GetProperty("privilege").GetProperty("roles")[0].GetString().Should().Be("FULL_ADMIN");
    }

    [Fact]
    public async Task Login_WrongPassword_ReturnsFalseAndStaysAnonymous()
    {
        await using var client = await Daemon.ConnectAsync();

        (await client.CallResultAsync("auth.login", "root", "wrong")).GetBoolean().Should().BeFalse();
        (await client.CallResultAsync("auth.login", "nobody", "wrong")).GetBoolean().Should().BeFalse();

        (await client.CallErrorAsync("auth.me")).GetProperty("error").GetInt32().Should().Be(207);
    }

    [Fact]
    public async Task Logout_EndsTheAuthentication()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        (await client.CallResultAsync("auth.logout")).GetBoolean().Should().BeTrue();

        (await client.CallErrorAsync("auth.me")).GetProperty("error").GetInt32().Should().Be(207);
    }

    [Fact]
    public async Task UnknownMethod_IsEnomethodWithUpstreamReason()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("core.nope");

        error.GetProperty("error").GetInt32().Should().Be(201);
        error.GetProperty("errname").GetString().Should().Be("ENOMETHOD");
        error.GetProperty("reason").GetString().Should().Be("[ENOMETHOD] Method 'nope' not found in 'core'");
    }

    [Fact]
    public async Task UnknownService_IsEnomethod()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("nothing.here");

        error.GetProperty("error").GetInt32().Should().Be(201);
        error.GetProperty("reason").GetString().Should().Be("[ENOMETHOD] Service 'nothing' not found");
    }

    [Fact]
    public async Task NameWithoutDot_IsEbadmsg()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var error = await client.CallErrorAsync("ping");

        error.GetProperty("error").GetInt32().Should().Be(74);
        error.GetProperty("errname").GetString().Should().Be("EBADMSG");
    }

    [Fact]
    public async Task WrongArgumentType_IsValidationErrorNamingTheArgument()
    {
        await using var client = await Daemon.ConnectAsync();

        var error = await client.CallErrorAsync("auth.login", 5, "x");

        error.GetProperty("error").GetInt32().Should().Be(11);
        error.GetProperty("errname").GetString().Should().Be("EAGAIN");
        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        var extra = error.GetProperty("extra");
        extra.GetArrayLength().Should().Be(1);
        extra[0][0].GetString().Should().Be("auth_login.username");
        extra[0][1].GetString().Should().Be("Expected a string, got a number");
        extra[0][2].GetInt32().Should().Be(22);
    }

    [Fact]
    public async Task MissingAndExtraArguments_AreValidationErrors()
    {
        await using var client = await Daemon.ConnectAsync();

        var missing = await client.CallErrorAsync("auth.login", "root");
        missing.GetProperty("extra")[0][0].GetString().Should().Be("auth_login.password");
        missing.GetProperty("extra")[0][1].GetString().Should().Be("Field required");

        var extra = await client.CallErrorAsync("core.ping", 1);
        extra.GetProperty("error").GetInt32().Should().Be(11);
        extra.GetProperty("extra")[0][1].GetString().Should().Be("Too many arguments (expected 0, found 1)");
    }

    [Fact]
    public async Task MethodWithoutName_IsEinvalMalformed()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendAsync(new { msg = "method", id = "x1", @params = Array.Empty<object>() });

        var result = await client.ResultOfAsync("x1");

        result.GetProperty("error").GetProperty("error").GetInt32().Should().Be(22);
        result.GetProperty("error").GetProperty("reason").GetString().Should().Contain("'method' is absent");
    }

    [Fact]
    public async Task ParamsNotAList_IsEinval()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendAsync(new { msg = "method", id = "x2", method = "core.ping", @params = new { a = 1 } });

        var result = await client.ResultOfAsync("x2");

        result.GetProperty("error").GetProperty("reason").GetString().Should().Be("[EINVAL] `params` must be a list.");
    }

    [Fact]
    public async Task NullParams_AreAnEmptyList()
    {
        await using var client = await Daemon.ConnectAsync();
        await client.SendTextAsync("""{"msg":"method","id":"n1","method":"core.ping","params":null}""");
        await client.SendTextAsync("""{"msg":"method","id":"n2","method":"core.ping"}""");

        (await client.ResultOfAsync("n1")).GetProperty("result").GetString().Should().Be("pong");
        (await client.ResultOfAsync("n2")).GetProperty("result").GetString().Should().Be("pong");
    }

    [Fact]
    public async Task ConcurrentCalls_ResultsComeBackOutOfOrder()
    {
        await using var client = await Daemon.ConnectAsync();

        // A failed login is held by the server; the ping sent after it must not wait for it.
        var slow = await client.SendCallAsync("auth.login", "root", "wrong");
        var fast = await client.SendCallAsync("core.ping");

        var first = await client.ReceiveAsync(m => m.Msg() == "result");
        first.GetProperty("id").GetString().Should().Be(fast);
        (await client.ResultOfAsync(slow)).GetProperty("result").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task TooManyCallsInFlight_AreRefusedWithEtoomanyrefs()
    {
        // Failed logins are held 3 s here, so 20 of them are surely still in flight when the 21st arrives.
        await using var daemon = await Daemon.StartAsync(["--JobServer:Auth:FailedLoginDelayMilliseconds=3000"]);
        await using var client = await daemon.ConnectAsRootAsync();
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            ids.Add(await client.SendCallAsync("auth.login", "root", "wrong"));
        }

        var refused = await client.ResultOfAsync(ids[20]);
        refused.GetProperty("error").GetProperty("error").GetInt32().Should().Be(109);
        refused.GetProperty("error").GetProperty("reason").GetString().Should()
            .Contain("Maximum number of concurrent calls (20) has exceeded.");
        foreach (var id in ids.Take(20))
        {
            (await client.ResultOfAsync(id)).GetProperty("result").GetBoolean().Should().BeFalse();
        }
    }

    [Fact]
    public async Task GetMethods_ListsSchemasAndHidesPrivateMethods()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var methods = await client.CallResultAsync("core.get_methods");

        var login = methods.GetProperty("auth.login");
        login.GetProperty("no_auth_required").GetBoolean().Should().BeTrue();
        var accepts = login.GetProperty("accepts");
        accepts.GetProperty("type").GetString().Should().Be("array");
        accepts.GetProperty("minItems").GetInt32().Should().Be(2);
        accepts.GetProperty("prefixItems")[0].GetProperty("title").GetString().Should().Be("username");
        methods.GetProperty("core.ping").GetProperty("returns").GetProperty("type").GetString().Should().Be("string");
        methods.EnumerateObject().Select(p => p.Name).Should().NotContain(n => n.Contains("secret"));
    }

    [Fact]
    public async Task GetServices_NamesTypes()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var services = await client.CallResultAsync("core.get_services");

        services.GetProperty("core").GetProperty("type").GetString().Should().Be("service");
        services.GetProperty("auth").GetProperty("config").GetProperty("namespace").GetString().Should().Be("auth");
    }
}
