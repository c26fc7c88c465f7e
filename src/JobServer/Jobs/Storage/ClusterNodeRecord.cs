namespace JobServer.Jobs.Storage;

/// <summary>
/// A row of <c>cluster_nodes</c> (PostgreSQL only): one per node name that ever joined the cluster. Instants come
/// from the database's clock, the one clock every node shares.
/// </summary>
internal sealed class ClusterNodeRecord
{
    public const string Alive = "alive";

    /// <summary>Stopped gracefully; its waiting jobs are for another node to take over.</summary>
    public const string Leaving = "leaving";

    /// <summary>Declared dead or gone after leaving; its unfinished jobs were settled by the node that said so.</summary>
    public const string Gone = "gone";

    public string Name { get; set; } = "";

    /// <summary>Which daemon holds the name: the id kept in its data directory (<c>Cluster/NodeInstance</c>).</summary>
    public string Instance { get; set; } = "";

    /// <summary>The fencing token: one more on every join. A job write carries it and fails once it is stale.</summary>
    public long Epoch { get; set; }

    public string State { get; set; } = Alive;

    public DateTime JoinedAt { get; set; }

    public DateTime HeartbeatAt { get; set; }
}
