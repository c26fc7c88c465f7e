namespace JobServer.Jobs.Storage;

/// <summary>
/// This daemon as a member of the cluster: its name, its instance, and the epoch (fencing token) its join drew.
/// The job writer stamps every write with the epoch; once the cluster has declared this node dead, those writes
/// fail (<see cref="NodeFencedException"/>) and the node stops (<c>Cluster/NodeMembership</c>).
/// </summary>
internal sealed class ClusterNode(string name, string instance)
{
    private long _epoch;

    public string Name { get; } = name;

    public string Instance { get; } = instance;

    /// <summary>0 until the node joined.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    public void Joined(long epoch) => Volatile.Write(ref _epoch, epoch);

    /// <summary>Raised when something learns the node lost its place (a write refused at its epoch).</summary>
    public event Action<string>? Fenced;

    public void Fence(string reason) => Fenced?.Invoke(reason);
}
