namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// The cluster tests run one class at a time: each starts two or three daemon processes with a 4 s node timeout.
/// With three classes starting theirs at once on the loaded 2-core machine (load 40), daemons went away (503,
/// refused connections) in the middle of tests that were not about failover — most likely nodes whose heartbeats
/// starved were declared dead and stopped themselves (exit 75).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster of daemon processes";
}
