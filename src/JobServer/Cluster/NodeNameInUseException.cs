namespace JobServer.Cluster;

/// <summary>Another live daemon already uses this node name on the same database: the start is refused.</summary>
internal sealed class NodeNameInUseException(string node, DateTime? heartbeatAt)
    : Exception($"The node name {node} is in use by another daemon on this database (its last heartbeat was at " +
                $"{heartbeatAt:O} UTC). Give each daemon its own JobServer:Cluster:NodeName, or stop the other one.")
{
    public string Node { get; } = node;
}
