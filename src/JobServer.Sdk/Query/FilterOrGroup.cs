using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary><c>["OR", [branch, …]]</c>: true when any branch is; a branch is a list of nodes, all ANDed.</summary>
internal sealed class FilterOrGroup(JsonNode source, IReadOnlyList<IReadOnlyList<FilterNode>> branches)
    : FilterNode(source)
{
    public IReadOnlyList<IReadOnlyList<FilterNode>> Branches { get; } = branches;
}
