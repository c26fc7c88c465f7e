using JobServer.IntegrationTests.Support;
using JobServer.Probes;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Nodes A and B of a fresh cluster, each with a root connection and a <c>core.get_jobs</c> watch: the set-up of the
/// cross-node tests. Disposing closes the connections, then the cluster.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(ClusterOfDaemons cluster) => Cluster = cluster;

    public ClusterOfDaemons Cluster { get; }

    public DaemonProcess A { get; private set; } = null!;

    public DaemonProcess B { get; private set; } = null!;

    public DdpClient OnA { get; private set; } = null!;

    public DdpClient OnB { get; private set; } = null!;

    public JobEvents WatchA { get; private set; } = null!;

    public JobEvents WatchB { get; private set; } = null!;

    /// <param name="settingsOfA">Extra settings of node A.</param>
    public static async Task<TwoNodes> StartAsync(params string[] settingsOfA)
    {
        var nodes = new TwoNodes(new ClusterOfDaemons());
        try
        {
            nodes.A = await nodes.Cluster.StartAsync("node-a", settingsOfA);
            nodes.B = await nodes.Cluster.StartAsync("node-b");
            nodes.WatchA = await JobEvents.SubscribeAsync(await nodes.A.ConnectAsRootAsync());
            nodes.WatchB = await JobEvents.SubscribeAsync(await nodes.B.ConnectAsRootAsync());
            nodes.OnA = await nodes.A.ConnectAsRootAsync();
            nodes.OnB = await nodes.B.ConnectAsRootAsync();
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in new IAsyncDisposable?[] { OnA, OnB, WatchA, WatchB })
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }

        await Cluster.DisposeAsync();
    }
}
