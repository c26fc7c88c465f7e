using JobServer.IntegrationTests.Accounts;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Issue 18: a token minted on one node is valid on every node (tokens live in the shared database), a
/// single-use one signs in once in the whole cluster, and a logout on the node that made it ends it everywhere.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTokensTests
{
    [PostgresOnlyFact]
    public async Task TokenFromNodeA_SignsInOnNodeC_AsItsUser_AndDiesEverywhereWhenItsSessionLogsOutOnA()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        await cluster.StartAsync("node-b");
        var c = await cluster.StartAsync("node-c");
        await using var onA = await a.ConnectAsRootAsync();
        var token = (await onA.CallResultAsync("auth.generate_token", 600, null, false)).GetString();

        await using var onC = await c.ConnectAsync();
        (await onC.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeTrue();
        (await onC.CallResultAsync("auth.me")).GetProperty("pw_name").GetString().Should().Be("root");

        (await onA.CallResultAsync("auth.logout")).GetBoolean().Should().BeTrue();
        await using var laterOnC = await c.ConnectAsync();
        (await laterOnC.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should()
            .BeFalse("the session that made it logged out on node A");
    }

    [PostgresOnlyFact]
    public async Task SingleUseToken_SignsInOnceInTheWholeCluster()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        var b = await cluster.StartAsync("node-b");
        await using var onA = await a.ConnectAsRootAsync();
        var token = (await onA.CallResultAsync("auth.generate_token", 600, null, false, true)).GetString();

        await using var first = await b.ConnectAsync();
        await using var second = await a.ConnectAsync();
        (await first.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should().BeTrue();
        (await second.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should()
            .BeFalse("it was used on node B, though node A made it");
    }

    [PostgresOnlyFact]
    public async Task DeletedAccount_ItsTokensStopSigningInOnEveryNode()
    {
        await using var cluster = new ClusterOfDaemons();
        var a = await cluster.StartAsync("node-a");
        var b = await cluster.StartAsync("node-b");
        await using var rootOnA = await a.ConnectAsRootAsync();
        var userId = (await rootOnA.CreateUserAsync("alice", ["READONLY_ADMIN"])).GetProperty("id").GetInt64();
        await using var aliceOnB = await b.ConnectAsync();
        (await aliceOnB.CallResultAsync("auth.login", "alice", Accounts.Accounts.Password)).GetBoolean().Should().BeTrue();
        var token = (await aliceOnB.CallResultAsync("auth.generate_token", 600, null, false)).GetString();

        await rootOnA.CallResultAsync("user.delete", userId);

        await using var onB = await b.ConnectAsync();
        (await onB.CallResultAsync("auth.login_with_token", token)).GetBoolean().Should()
            .BeFalse("alice was deleted on node A; her token, made on node B, went with her");
    }
}
