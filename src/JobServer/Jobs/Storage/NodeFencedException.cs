namespace JobServer.Jobs.Storage;

/// <summary>
/// A write of this node was refused because the cluster declared the node dead (its epoch is stale): what it
/// would have written has already been decided by another node.
/// </summary>
internal sealed class NodeFencedException(string node, long epoch)
    : Exception($"Node {node} (epoch {epoch}) was declared dead by the cluster; its writes are refused")
{
    public string Node { get; } = node;
}
