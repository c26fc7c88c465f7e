using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>
/// Issue 12 item 2: an account's live sessions and tokens follow a change of the account at once. Before, a
/// deleted or locked FULL_ADMIN kept full rights on its open sessions (and could create a new admin).
/// </summary>
public sealed class AccountSessionTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("delete")]
    [InlineData("lock")]
    public async Task DeletedOrLocked_EveryLiveSessionAndTokenEnds(string change)
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var name = $"doomed-{change}";
        var id = (await root.CreateUserAsync(name, ["FULL_ADMIN"])).GetProperty("id").GetInt64();
        await using var byPassword = await Daemon.ConnectAsAsync(name);
        var token = (await byPassword.CallResultAsync("auth.generate_token")).GetString();
        var key = (await byPassword.CallResultAsync("api_key.create", new { name = "k" })).GetProperty("key").GetString();
        await using var byToken = await SignedInAsync("auth.login_with_token", token);
        await using var byKey = await SignedInAsync("auth.login_with_api_key", key);
        var spareToken = (await byToken.CallResultAsync("auth.generate_token")).GetString();

        if (change == "delete")
        {
            await root.CallResultAsync("user.delete", id);
        }
        else
        {
            await root.CallResultAsync("user.update", id, new { locked = true });
        }

        foreach (var session in new[] { byPassword, byToken, byKey })
        {
            // The exploit of the issue: a new admin made from a session of the gone account.
            (await session.CallErrorAsync("user.create", new { username = $"{name}-heir", password = "x", roles = new[] { "FULL_ADMIN" } }))
                .Errno().Should().Be(207, "the session is signed out");
            (await session.CallErrorAsync("auth.me")).Errno().Should().Be(207);
        }

        await using var other = await Daemon.ConnectAsync();
        (await other.CallResultAsync("auth.login_with_token", spareToken)).GetBoolean().Should().BeFalse();
        (await root.CallResultAsync("user.query", Filter("username", $"{name}-heir"))).GetArrayLength().Should().Be(0);
        var sessions = await root.CallResultAsync("auth.sessions");
        sessions.EnumerateArray().Should().NotContain(s => s.GetProperty("username").GetString() == name);
    }

    [Fact]
    public async Task OwnPasswordChanged_OtherSessionsEnd_TheCallersStays_TokensDie()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var id = (await root.CreateUserAsync("changer", ["FULL_ADMIN"])).GetProperty("id").GetInt64();
        await using var keyboard = await Daemon.ConnectAsAsync("changer");
        await using var elsewhere = await Daemon.ConnectAsAsync("changer");
        var token = (await keyboard.CallResultAsync("auth.generate_token")).GetString();

        await keyboard.CallResultAsync("user.update", id, new { password = "a-new-password" });

        (await keyboard.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("changer");
        (await elsewhere.CallErrorAsync("auth.me")).Errno().Should().Be(207);
        await using var other = await Daemon.ConnectAsync();
        (await other.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeFalse();
        (await other.CallResultAsync("auth.login", "changer", "a-new-password")).GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task PasswordChangedByAnAdmin_EverySessionOfTheAccountEnds()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var id = (await root.CreateUserAsync("reset-by-admin")).GetProperty("id").GetInt64();
        await using var session = await Daemon.ConnectAsAsync("reset-by-admin");

        await root.CallResultAsync("user.update", id, new { password = "chosen-by-root" });

        (await session.CallErrorAsync("auth.me")).Errno().Should().Be(207);
        (await root.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
    }

    [Fact]
    public async Task Demoted_SessionsNarrowToTheRolesLeft_AndLoseWhatOnlyTheLostRoleCouldSee()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var id = (await root.CreateUserAsync("demoted", ["FULL_ADMIN"])).GetProperty("id").GetInt64();
        await using var session = await Daemon.ConnectAsAsync("demoted");
        await session.SendAsync(new { msg = "sub", id = "watch", name = "auth.sessions" });
        await session.ReceiveAsync(m => m.Msg() == "ready");

        await root.CallResultAsync("user.update", id, new { roles = new[] { "READONLY_ADMIN" } });

        var ended = await session.ReceiveAsync(m => m.Msg() == "nosub" && m.GetProperty("id").GetString() == "watch");
        ended.GetProperty("error").GetProperty("error").GetInt32().Should().Be(13);
        (await session.CallResultAsync("auth.me")).GetProperty("privilege").GetProperty("roles").EnumerateArray()
            .Select(r => r.GetString()).Should().Equal("READONLY_ADMIN");
        (await session.CallResultAsync("user.query")).GetArrayLength().Should().BePositive("READONLY_ADMIN stays");
        (await session.CallErrorAsync("user.create", new { username = "by-demoted", password = "x" }))
            .Errno().Should().Be(13, "FULL_ADMIN is gone");
    }

    [Fact]
    public async Task ApiKeyRevoked_TheSessionsItSignedInEnd()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var created = await root.CallResultAsync("api_key.create", new { name = "revoked-live" });
        await using var script = await SignedInAsync("auth.login_with_api_key", created.GetProperty("key").GetString());

        await root.CallResultAsync("api_key.update", created.GetProperty("id").GetInt64(), new { revoked = true });

        (await script.CallErrorAsync("auth.me")).Errno().Should().Be(207);
        (await root.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");
    }

    private async Task<DdpClient> SignedInAsync(string method, string? credential)
    {
        var client = await Daemon.ConnectAsync();
        (await client.CallResultAsync(method, credential)).GetBoolean().Should().BeTrue();
        return client;
    }

    private static JsonElement Filter(string field, string value) =>
        JsonSerializer.SerializeToElement(new object[] { new object[] { field, "=", value } });
}
