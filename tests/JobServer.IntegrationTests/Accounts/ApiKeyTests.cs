using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

public sealed class ApiKeyTests(FakeClockDaemonFixture fixture) : IClassFixture<FakeClockDaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Create_ReturnsTheKeyOnce_AndItSignsIn()
    {
        await using var root = await Daemon.ConnectAsRootAsync();

        var created = await root.CallResultAsync("api_key.create", new { name = "script", roles = new[] { "READONLY_ADMIN" } });
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetInt64();
        var listed = await root.CallResultAsync("api_key.get_instance", id);

        key.Should().MatchRegex($"^{id}-[A-Za-z0-9_-]{{48}}$");
        created.GetProperty("username").GetString().Should().Be("root");
        listed.TryGetProperty("key", out _).Should().BeFalse();
        listed.GetRawText().Should().NotContain(key[(key.IndexOf('-') + 1)..]);
        await using var script = await Daemon.ConnectAsync();
        (await script.CallResultAsync("auth.login_with_api_key", key)).GetBoolean().Should().BeTrue();
        var me = await script.CallResultAsync("auth.me");
        me.GetProperty("privilege").GetProperty("roles")[0].GetString().Should().Be("READONLY_ADMIN");
        (await script.CallResultAsync("user.query")).GetArrayLength().Should().BeGreaterThan(0);
        (await script.CallErrorAsync("user.create", new { username = "k", password = "x" })).Errno().Should().Be(13);
    }

    [Fact]
    public async Task Create_RoleTheCreatorLacks_IsRefused()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        await root.CreateUserAsync("key-maker");
        await using var plain = await Daemon.ConnectAsAsync("key-maker");

        var error = await plain.CallErrorAsync("api_key.create", new { name = "x", roles = new[] { "FULL_ADMIN" } });
        var own = await plain.CallResultAsync("api_key.create", new { name = "mine" });

        error.GetProperty("type").GetString().Should().Be("VALIDATION");
        error.GetProperty("extra")[0][0].GetString().Should().Be("api_key_create.roles");
        own.GetProperty("roles").GetArrayLength().Should().Be(0);
        var visible = await plain.CallResultAsync("api_key.query");
        visible.EnumerateArray().Select(k => k.GetProperty("username").GetString()).Should().OnlyContain(u => u == "key-maker");
        (await root.CallResultAsync("api_key.query",
            UserQueryFilterTests.Json("""[["username", "=", "key-maker"]]"""))).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Revoke_KeyNoLongerSignsIn_AndCannotBeRestored()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var created = await root.CallResultAsync("api_key.create", new { name = "to-revoke" });
        var id = created.GetProperty("id").GetInt64();

        var revoked = await root.CallResultAsync("api_key.update", id, new { revoked = true, name = "revoked" });
        var restore = await root.CallErrorAsync("api_key.update", id, new { revoked = false });

        revoked.GetProperty("revoked").GetBoolean().Should().BeTrue();
        revoked.GetProperty("name").GetString().Should().Be("revoked");
        restore.GetProperty("extra")[0][0].GetString().Should().Be("api_key_update.revoked");
        await using var script = await Daemon.ConnectAsync();
        (await script.CallResultAsync("auth.login_with_api_key", created.GetProperty("key").GetString()))
            .GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Expired_KeyFails_AndLoginExSaysExpired()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var expiresAt = fixture.Clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds();
        var created = await root.CallResultAsync("api_key.create",
            new { name = "short-lived", expires_at = new Dictionary<string, long> { ["$date"] = expiresAt } });
        var key = created.GetProperty("key").GetString()!;
        await using var before = await Daemon.ConnectAsync();
        (await before.CallResultAsync("auth.login_with_api_key", key)).GetBoolean().Should().BeTrue();

        fixture.Clock.Advance(TimeSpan.FromHours(2));

        await using var after = await Daemon.ConnectAsync();
        (await after.CallResultAsync("auth.login_with_api_key", key)).GetBoolean().Should().BeFalse();
        var ex = await after.CallResultAsync("auth.login_ex",
            new { mechanism = "API_KEY_PLAIN", username = "root", api_key = key });
        ex.GetProperty("response_type").GetString().Should().Be("EXPIRED");
    }

    [Fact]
    public async Task Create_ExpiryInThePast_IsValidationError()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var past = fixture.Clock.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();

        var error = await root.CallErrorAsync("api_key.create",
            new { name = "past", expires_at = new Dictionary<string, long> { ["$date"] = past } });

        error.GetProperty("extra")[0][0].GetString().Should().Be("api_key_create.expires_at");
    }

    [Fact]
    public async Task Delete_KeyNoLongerSignsIn_AndOthersKeysAreInvisible()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var created = await root.CallResultAsync("api_key.create", new { name = "to-delete" });
        var id = created.GetProperty("id").GetInt64();
        await root.CreateUserAsync("snooper");
        await using var snooper = await Daemon.ConnectAsAsync("snooper");

        (await snooper.CallErrorAsync("api_key.delete", id)).Errno().Should().Be(2);
        (await root.CallResultAsync("api_key.delete", id)).GetBoolean().Should().BeTrue();

        await using var script = await Daemon.ConnectAsync();
        (await script.CallResultAsync("auth.login_with_api_key", created.GetProperty("key").GetString()))
            .GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Create_EventOnApiKeyQuery_DoesNotCarryTheKey()
    {
        await using var watcher = await Daemon.ConnectAsRootAsync();
        await watcher.SendAsync(new { msg = "sub", id = "keys", name = "api_key.query" });
        await watcher.ReceiveAsync(m => m.Msg() == "ready");
        await using var root = await Daemon.ConnectAsRootAsync();

        var created = await root.CallResultAsync("api_key.create", new { name = "watched-key" });
        var id = created.GetProperty("id").GetInt64();
        var added = await watcher.ReceiveAsync(m => m.Msg() == "added" &&
                                                    m.GetProperty("id").ValueKind == JsonValueKind.Number &&
                                                    m.GetProperty("id").GetInt64() == id);

        added.GetProperty("fields").GetProperty("name").GetString().Should().Be("watched-key");
        added.GetProperty("fields").TryGetProperty("key", out _).Should().BeFalse();
    }
}
