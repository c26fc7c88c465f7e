using System.Text.RegularExpressions;

namespace JobServer.Tests.Architecture;

/// <summary>
/// The capability folders of <c>src/JobServer</c> (Protocol, Jobs, Events, Auth, Services, …) depend on each other
/// without a circle (issue 13): general types live in <c>Calls/</c>, <c>Sessions/</c> and <c>Configuration/</c>,
/// which every capability may use, and the composition root (<c>Hosting/</c>) is used by none. A dependency is a
/// <c>using JobServer.X</c> or a name qualified by a sibling folder (<c>Jobs.JobManager</c>) in code.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void CapabilityFolders_DependOnEachOtherWithoutACycle()
    {
        var graph = DependencyGraph();

        var cycle = FindCycle(graph);

        cycle.Should().BeNull($"a cycle between folders was found: {string.Join(" → ", cycle ?? [])}");
    }

    [Fact]
    public void Scan_SeesQualifiedAndImportedDependencies()
    {
        // The scan must see both forms, or the test above could pass on nothing.
        var graph = DependencyGraph();

        graph["Dispatch"].Should().Contain(["Calls", "Jobs", "Auth"]);
        graph["Protocol"].Should().Contain("Dispatch");
        graph.Values.Should().NotContain(edges => edges.Contains("Hosting"), "only Program uses the composition root");
    }

    private static Dictionary<string, HashSet<string>> DependencyGraph()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "JobServer");
        var folders = Directory.GetDirectories(source).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        var qualified = new Regex($@"(?<![\w.])(?:JobServer\.)?({string.Join("|", folders)})(?:\.[A-Z]|;)", RegexOptions.CultureInvariant);
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(source, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (var line in File.ReadLines(file).Select(l => l.Trim()).Where(IsCode))
                {
                    foreach (Match match in qualified.Matches(StripStrings(line)))
                    {
                        if (match.Groups[1].Value != folder)
                        {
                            graph[folder].Add(match.Groups[1].Value);
                        }
                    }
                }
            }
        }

        return graph;
    }

    private static bool IsCode(string line) => !line.StartsWith("//", StringComparison.Ordinal) && !line.StartsWith('*');

    private static string StripStrings(string line) => StringLiteral().Replace(line, "\"\"");

    /// <summary>A path of folders that leads back to its start, or null.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            var path = new List<string>();
            if (Visit(start, graph, path, done) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static List<string>? Visit(string node, Dictionary<string, HashSet<string>> graph, List<string> path,
        HashSet<string> done)
    {
        if (path.Contains(node))
        {
            return [.. path.Skip(path.IndexOf(node)), node];
        }

        if (!done.Add(node))
        {
            return null;
        }

        path.Add(node);
        foreach (var next in graph.GetValueOrDefault(node, []).Order(StringComparer.Ordinal))
        {
            if (Visit(next, graph, path, done) is { } cycle)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        return null;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "src", "JobServer")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with src/JobServer) was not found");
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant)]
    private static partial Regex StringLiteral();
}
