using JobServer.Jobs.Storage;

namespace JobServer.Cluster;

/// <summary>
/// The cluster's membership as the database keeps it (<c>cluster_nodes</c>): joins, heartbeats, graceful leaves,
/// and the takeover of a node that stopped — the seam <see cref="NodeMembership"/> runs on
/// (<see cref="PostgresClusterNodes"/>; a fake in the unit tests). Every comparison of instants happens in the
/// database, on its clock, so the nodes' own clocks may disagree.
/// </summary>
internal interface IClusterNodes
{
    /// <summary>
    /// Joins (or re-joins) the cluster under <paramref name="name"/> and returns the new epoch. Throws
    /// <see cref="NodeNameInUseException"/> when another instance holds the name and heartbeated within
    /// <paramref name="nodeTimeout"/>.
    /// </summary>
    Task<long> JoinAsync(string name, string instance, TimeSpan nodeTimeout, CancellationToken cancellationToken);

    /// <summary>Records a heartbeat; false when the node is no longer alive at that epoch (the cluster declared it dead).</summary>
    Task<bool> HeartbeatAsync(string name, long epoch, CancellationToken cancellationToken);

    /// <summary>A graceful stop: the node's waiting jobs are for the other nodes to take over now.</summary>
    Task LeaveAsync(string name, long epoch, CancellationToken cancellationToken);

    /// <summary>
    /// Declares one node that left, or has not heartbeated within <paramref name="nodeTimeout"/>, gone, and moves
    /// its unfinished jobs to <paramref name="adopter"/> in the same transaction; null when there is none. Several
    /// nodes may call it at once: each stopped node is taken over by exactly one.
    /// </summary>
    Task<NodeTakeover?> TakeOverNextAsync(string adopter, TimeSpan nodeTimeout, CancellationToken cancellationToken);
}

/// <summary>A node declared gone and the unfinished jobs (WAITING or RUNNING, in id order) that are now the adopter's.</summary>
/// <param name="Left">True when it stopped gracefully; false when it went silent (crash, power loss, partition).</param>
internal sealed record NodeTakeover(string Node, bool Left, IReadOnlyList<JobRecord> Jobs);
