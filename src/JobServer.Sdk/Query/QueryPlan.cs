using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// What <see cref="QueryableFilter.Translate{T}"/> could push into an <see cref="IQueryable{T}"/>, and what is left
/// to run in memory with <see cref="QueryEngine.Apply(IEnumerable{JsonObject}, JsonArray?, QueryOptions?)"/>.
/// </summary>
/// <typeparam name="T">The entity type.</typeparam>
public sealed class QueryPlan<T>
{
    private readonly IReadOnlyList<FilterNode> _remainingFilters;
    private readonly ParsedQueryOptions _remainingOptions;

    internal QueryPlan(
        IQueryable<T> query,
        IReadOnlyList<FilterNode> remainingFilters,
        ParsedQueryOptions remainingOptions,
        QueryOptions remainingQueryOptions,
        bool isCount)
    {
        Query = query;
        _remainingFilters = remainingFilters;
        _remainingOptions = remainingOptions;
        RemainingOptions = remainingQueryOptions;
        IsCount = isCount;
        RemainingFilters = new JsonArray(remainingFilters.Select(node => node.Source.DeepClone()).ToArray());
    }

    /// <summary>The source narrowed by every translated filter, and ordered and paged when that was possible.</summary>
    public IQueryable<T> Query { get; }

    /// <summary>The filters to apply in memory to the materialized rows; empty when all were translated.</summary>
    public JsonArray RemainingFilters { get; }

    /// <summary>The options to apply in memory; what was pushed into <see cref="Query"/> is cleared.</summary>
    public QueryOptions RemainingOptions { get; }

    /// <summary>True when the answer is <c>Query.Count()</c> (<c>count</c> with every filter translated).</summary>
    public bool IsCount { get; }

    /// <summary>True when every filter was translated into <see cref="Query"/>.</summary>
    public bool IsFullyTranslated => _remainingFilters.Count == 0;

    /// <summary>Runs the plan: the query, then the in-memory rest over the rows serialized with
    /// <see cref="WireJson.Options"/>. The result is what the in-memory engine gives over all rows.</summary>
    /// <returns>A <see cref="JsonArray"/> of rows, one <see cref="JsonObject"/> with <c>get</c>, or a number with
    /// <c>count</c>.</returns>
    /// <exception cref="Errors.MatchNotFoundException"><c>get</c> was asked and nothing matched.</exception>
    public JsonNode? Execute() =>
        Execute(row => JsonSerializer.SerializeToNode(row, WireJson.Options)!.AsObject());

    /// <summary>Runs the plan with a custom wire shape for rows (a stored row that is not what clients see).
    /// Properties the push-down used must appear in <paramref name="toJson"/>'s output under their wire names.</summary>
    /// <returns>As <see cref="Execute()"/>.</returns>
    public JsonNode? Execute(Func<T, JsonObject> toJson)
    {
        ArgumentNullException.ThrowIfNull(toJson);
        if (IsCount)
        {
            return JsonValue.Create(Query.Count());
        }

        return QueryEngine.ApplyParsed(Query.AsEnumerable().Select(toJson), _remainingFilters, _remainingOptions);
    }
}
