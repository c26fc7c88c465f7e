using System.Text.Json;
using JobServer.IntegrationTests.Accounts;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Issue 18: an account changed on one node changes the sessions signed in as it on every node — locked or
/// deleted, they end there too, as they do on the node that made the change.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterAccountsTests
{
    [PostgresOnlyFact]
    public async Task AccountLockedOnNodeA_ItsPasswordSessionOnNodeB_IsSignedOut()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        var b = await cluster.StartAsync("node-b");
        await using var rootOnA = await a.ConnectAsRootAsync();
        var aliceId = (await rootOnA.CreateUserAsync("alice", ["READONLY_ADMIN"])).GetProperty("id").GetInt64();
        await using var watchB = await b.ConnectAsRootAsync();
        await watchB.SendAsync(new { msg = "sub", id = "sessions", name = "auth.sessions" });
        await watchB.ReceiveAsync(m => m.Msg() == "ready");
        await using var aliceOnB = await b.ConnectAsync();
        (await aliceOnB.CallResultAsync("auth.login", "alice", Accounts.Accounts.Password)).GetBoolean().Should().BeTrue();
        await watchB.ReceiveAsync(m => m.Msg() == "added" && IdOf(m) == aliceOnB.SessionId);

        await rootOnA.CallResultAsync("user.update", aliceId, new { locked = true });

        await watchB.ReceiveAsync(m => m.Msg() == "removed" && IdOf(m) == aliceOnB.SessionId);
        (await aliceOnB.CallErrorAsync("auth.me")).Errno().Should().Be(207, "node B signed her out");
    }

    private static string? IdOf(JsonElement message) =>
        message.TryGetProperty("id", out var id) ? id.GetString() : null;
}
