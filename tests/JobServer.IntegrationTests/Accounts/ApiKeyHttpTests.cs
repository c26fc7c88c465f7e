using System.Net;
using System.Net.Http.Headers;
using JobServer.IntegrationTests.Rest;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Accounts;

/// <summary>
/// An API key sent with every HTTP request is remembered for a few seconds (<c>Auth/VerifiedApiKeys</c>); these
/// tests use each key once over HTTP first, so the change under test meets a remembered key, and show that a change
/// still takes effect on the very next request.
/// </summary>
public sealed class ApiKeyHttpTests(FakeClockDaemonFixture fixture) : IClassFixture<FakeClockDaemonFixture>
{
    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [InlineData("revoke")]
    [InlineData("delete")]
    public async Task ChangedKey_IsRefusedOnTheNextRequest(string change)
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var (id, key) = await CreateKeyAsync(root, $"to-{change}");
        using var script = Client(key);
        (await script.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.OK);

        if (change == "revoke")
        {
            await root.CallResultAsync("api_key.update", id, new { revoked = true });
        }
        else
        {
            await root.CallResultAsync("api_key.delete", id);
        }

        (await script.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RememberedKey_WithAWrongSecret_IsRefused()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var (id, key) = await CreateKeyAsync(root, "guessed");
        using var script = Client(key);
        (await script.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.OK);

        using var guesser = Client($"{id}-{new string('A', 48)}");

        (await guesser.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await script.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OwnerLockedOrDemoted_ChangesWhatTheRememberedKeyMayDo()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var userId = (await root.CreateUserAsync("key-owner", ["FULL_ADMIN"])).GetProperty("id").GetInt64();
        await using var owner = await Daemon.ConnectAsAsync("key-owner");
        var (_, key) = await CreateKeyAsync(owner, "owners");
        using var script = Client(key);
        (await script.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = "made-by-key", password = "x" }))
            .Status.Should().Be(HttpStatusCode.OK);

        await root.CallResultAsync("user.update", userId, new { roles = new[] { "READONLY_ADMIN" } });
        var demoted = await script.CallAsync(HttpMethod.Post, "/api/v2.0/user", new { username = "made-later", password = "x" });
        var reads = await script.GetAsync("/api/v2.0/user");
        await root.CallResultAsync("user.update", userId, new { locked = true });
        var locked = await script.GetAsync("/api/v2.0/user");

        demoted.Status.Should().Be(HttpStatusCode.Forbidden);
        reads.Status.Should().Be(HttpStatusCode.OK);
        locked.Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RememberedKey_ExpiresOnTime()
    {
        await using var root = await Daemon.ConnectAsRootAsync();
        var expiresAt = fixture.Clock.GetUtcNow().AddSeconds(5).ToUnixTimeMilliseconds();
        var created = await root.CallResultAsync("api_key.create",
            new { name = "brief", expires_at = new Dictionary<string, long> { ["$date"] = expiresAt } });
        using var script = Client(created.GetProperty("key").GetString()!);
        (await script.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.OK);

        fixture.Clock.Advance(TimeSpan.FromSeconds(6));

        (await script.GetAsync("/api/v2.0/user")).Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    private RestClient Client(string key) => new(Daemon.BaseUri, new AuthenticationHeaderValue("Bearer", key));

    private static async Task<(long Id, string Key)> CreateKeyAsync(DdpClient creator, string name)
    {
        var created = await creator.CallResultAsync("api_key.create", new { name });
        return (created.GetProperty("id").GetInt64(), created.GetProperty("key").GetString()!);
    }
}
