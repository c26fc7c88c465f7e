using System.Net.WebSockets;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class SessionTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Sessions_ListsSignedInSessionsAndMarksTheCurrentOne()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await using var other = await Daemon.ConnectAsRootAsync();

        var sessions = await root.CallResultAsync("auth.sessions");

        var mine = Find(sessions, root.SessionId!);
        mine.GetProperty("current").GetBoolean().Should().BeTrue();
        mine.GetProperty("credentials").GetString().Should().Be("LOGIN_PASSWORD");
        mine.GetProperty("username").GetString().Should().Be("root");
        mine.GetProperty("origin").GetString().Should().Be("127.0.0.1");
        mine.GetProperty("created_at").GetProperty("$date").GetInt64().Should().BePositive();
        Find(sessions, other.SessionId!).GetProperty("current").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task SessionsCollection_SeesLoginLogoutAndDisconnect()
    {
        await using var watcher = await Daemon.ConnectAsRootAsync();
        await watcher.SendAsync(new { msg = "sub", id = "sessions", name = "auth.sessions" });
        await watcher.ReceiveAsync(m => m.Msg() == "ready");

        var client = await Daemon.ConnectAsRootAsync();
        var added = await watcher.ReceiveAsync(m => m.Msg() == "added" && IdOf(m) == client.SessionId);
        await client.CallResultAsync("auth.logout");
        await watcher.ReceiveAsync(m => m.Msg() == "removed" && IdOf(m) == client.SessionId);
        await client.CallResultAsync("auth.login", "root", Daemon.RootPassword);
        await watcher.ReceiveAsync(m => m.Msg() == "added" && IdOf(m) == client.SessionId);
        await client.DisposeAsync();
        var removed = await watcher.ReceiveAsync(m => m.Msg() == "removed" && IdOf(m) == client.SessionId);

        added.GetProperty("collection").GetString().Should().Be("auth.sessions");
        added.GetProperty("fields").GetProperty("username").GetString().Should().Be("root");
        removed.GetProperty("collection").GetString().Should().Be("auth.sessions");
    }

    [Fact]
    public async Task TerminateSession_ClosesItAndKillsItsTokens()
    {
        await using var admin = await Daemon.ConnectAsRootAsync();
        await using var victim = await Daemon.ConnectAsRootAsync();
        var token = (await victim.CallResultAsync("auth.generate_token")).GetString();

        (await admin.CallResultAsync("auth.terminate_session", victim.SessionId)).GetBoolean().Should().BeTrue();

        await victim.WaitClosedAsync();
        victim.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        await using var other = await Daemon.ConnectAsync();
        (await other.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeFalse();
        var sessions = await admin.CallResultAsync("auth.sessions");
        sessions.EnumerateArray().Should().NotContain(s => s.GetProperty("id").GetString() == victim.SessionId);
    }

    [Fact]
    public async Task TerminateSession_OwnOrUnknown_IsRefused()
    {
        await using var admin = await Daemon.ConnectAsRootAsync();

        (await admin.CallErrorAsync("auth.terminate_session", admin.SessionId)).Errno().Should().Be(22);
        (await admin.CallErrorAsync("auth.terminate_session", "no-such-session")).Errno().Should().Be(2);
    }

    [Fact]
    public async Task Sessions_NotFullAdmin_IsRefused()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("session-reader", ["READONLY_ADMIN"]);
        await using var reader = await Daemon.ConnectAsAsync("session-reader");

        (await reader.CallErrorAsync("auth.sessions")).Errno().Should().Be(13);
        (await reader.CallErrorAsync("auth.terminate_session", root.SessionId)).Errno().Should().Be(13);
    }

    private static JsonElement Find(JsonElement sessions, string id) =>
        sessions.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    private static string? IdOf(JsonElement message) =>
        message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
