using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>One validated element of a filter list: a condition or an OR group.</summary>
internal abstract class FilterNode
{
    protected FilterNode(JsonNode source) => Source = source;

    /// <summary>The element as the client sent it, to hand back untranslated filters unchanged.</summary>
    public JsonNode Source { get; }
}
