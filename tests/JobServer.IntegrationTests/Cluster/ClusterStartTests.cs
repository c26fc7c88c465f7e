using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Nodes of a new cluster start together (docker compose up, a fleet rebooting): the first start's one-time work
/// (migrations, the root account) happens once, and no node fails its start because another did it first.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterStartTests
{
    [PostgresOnlyFact]
    public async Task ThreeNodesStartingTogetherOnAnEmptyDatabase_AllStart_AndRootSignsInOnEach()
    {
        await using var cluster = new ClusterOfDaemons();

        var nodes = await Task.WhenAll(
            cluster.StartAsync("node-a"), cluster.StartAsync("node-b"), cluster.StartAsync("node-c"));

        foreach (var node in nodes)
        {
            await using var root = await node.ConnectAsRootAsync();
            var users = await root.CallResultAsync("user.query");
            users.EnumerateArray().Select(u => u.GetProperty("username").GetString()).Should()
                .Equal(["root"], "root is created once, by whichever node got there first");
        }
    }
}
