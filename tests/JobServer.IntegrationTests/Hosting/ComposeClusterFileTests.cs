using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace JobServer.IntegrationTests.Hosting;

/// <summary>
/// Issue 18: <c>deploy/docker-compose.cluster.yml</c> (PostgreSQL + three daemons) describes a cluster that can
/// work: each node its own name, data volume and port, all on the same database once it is healthy, restarted
/// after the fence's exit 75, and only with settings the daemon knows. No Docker engine runs here, so the file is
/// checked against what the daemon requires rather than started.
/// </summary>
public sealed class ComposeClusterFileTests
{
    private static readonly string ComposePath = Path.Combine(RepositoryPaths.Root, "deploy", "docker-compose.cluster.yml");

    [Fact]
    public void EveryNode_HasItsOwnNameVolumeAndPort_TheSameDatabase_AndWaitsForItHealthy()
    {
        var services = Services();
        var nodes = services.Where(s => s.Key != "postgres").Select(s => s.Value).ToList();

        nodes.Should().HaveCountGreaterThanOrEqualTo(3);
        Mapping(services["postgres"], "healthcheck").Children.Should().ContainKey(new YamlScalarNode("test"));
        nodes.Select(n => Scalar(Mapping(n, "environment"), "JobServer__Cluster__NodeName")).Should().OnlyHaveUniqueItems();
        nodes.Select(n => Scalar(Mapping(n, "environment"), "ConnectionStrings__JobServer")).Distinct().Should().ContainSingle()
            .Which.Should().Contain("Host=postgres").And.Contain("${JOBSERVER_DB_PASSWORD", "the password comes from the environment");
        nodes.Select(n => DataVolume(n)).Should().OnlyHaveUniqueItems("two daemons never share a data directory");
        nodes.Select(n => Sequence(n, "ports").Single()).Should().OnlyHaveUniqueItems();
        foreach (var node in nodes)
        {
            Scalar(node, "restart").Should().Be("on-failure", "a fenced node exits 75 and must come back");
            Scalar(Mapping(Mapping(node, "depends_on"), "postgres"), "condition").Should().Be("service_healthy");
        }
    }

    [Fact]
    public async Task EverySettingItGives_IsOneTheDaemonKnows()
    {
        await using var help = DaemonExecutable.Start(["--help"]);
        (await help.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0);
        var known = help.Lines.Select(l => l.Trim().Split(" = ")[0]).ToHashSet(StringComparer.Ordinal);

        var settings = Services().Where(s => s.Key != "postgres")
            .SelectMany(s => Mapping(s.Value, "environment").Children.Keys.Select(k => ((YamlScalarNode)k).Value!))
            .Where(k => k.StartsWith("JobServer__", StringComparison.Ordinal)).Distinct().ToList();

        settings.Should().NotBeEmpty();
        settings.Select(k => k.Replace("__", ":", StringComparison.Ordinal)).Should().BeSubsetOf(known);
    }

    private static Dictionary<string, YamlMappingNode> Services()
    {
        using var reader = new StringReader(File.ReadAllText(ComposePath));
        var stream = new YamlStream();
        // The nodes share their definition through an anchor and merge keys (<<), as compose files do.
        stream.Load(new MergingParser(new Parser(reader)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return Mapping(root, "services").Children.ToDictionary(
            e => ((YamlScalarNode)e.Key).Value!, e => (YamlMappingNode)e.Value);
    }

    private static string DataVolume(YamlMappingNode node) =>
        Sequence(node, "volumes").Single(v => v.EndsWith(":/data", StringComparison.Ordinal));

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
}
