using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace JobServer.Sdk.Query;

/// <summary>
/// The options of every <c>query</c> method, with middlewared's names and defaults:
/// <c>{"extra": {}, "order_by": [], "select": [], "count": false, "get": false, "offset": 0, "limit": 0}</c>.
/// </summary>
public sealed record QueryOptions
{
    /// <summary>The largest <see cref="Limit"/> allowed.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Per-method extra options.</summary>
    public JsonObject? Extra { get; init; }

    /// <summary>Sort keys: a field path, <c>-</c> for descending, <c>nulls_first:</c>/<c>nulls_last:</c> prefixes.
    /// The first key is the primary sort (upstream makes the last key primary; see docs/api.md).</summary>
    public IReadOnlyList<string> OrderBy { get; init; } = [];

    /// <summary>Fields to keep: <c>"a.b"</c> keeps the nested shape, <c>["a.b", "name"]</c> renames.</summary>
    public JsonArray? Select { get; init; }

    /// <summary>Return the number of matches instead of the matches.</summary>
    public bool Count { get; init; }

    /// <summary>Return the first match itself (an error when there is none).</summary>
    public bool Get { get; init; }

    /// <summary>Skip this many matches.</summary>
    public int Offset { get; init; }

    /// <summary>Return at most this many matches; 0 means no limit.</summary>
    public int Limit { get; init; }

    /// <summary>Ignored: accepted for compatibility with middlewared clients.</summary>
    [JsonPropertyName("force_sql_filters")]
    public bool ForceSqlFilters { get; init; }
}
