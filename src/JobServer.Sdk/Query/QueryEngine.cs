using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Sdk.Query;

/// <summary>
/// middlewared's <c>filter_list</c>: applies query filters and options to rows in memory.
/// </summary>
/// <remarks>
/// <para>The steps, in order: validate the options and the filters (bad ones throw
/// <see cref="ValidationException"/> on <c>query-options</c>/<c>query-filters</c> with errno EINVAL, even when there
/// are no rows); filter; with <c>count</c>, return the number of matches; order; with <c>get</c>, return the first
/// match or throw <see cref="MatchNotFoundException"/>; skip <c>offset</c>; take <c>limit</c> (0 means all); project
/// with <c>select</c>.</para>
/// <para>Two deliberate differences from upstream: <c>select</c> is applied last, after ordering, so rows can be
/// ordered by a field the projection drops (upstream selects while filtering, and ordering by an unselected field
/// then fails); and the first <c>order_by</c> key is the primary one (upstream's per-key stable sorts make the
/// last key primary). Nulls sort as the smallest value unless <c>nulls_first:</c>/<c>nulls_last:</c> says
/// otherwise, where upstream raises.</para>
/// <para>Comparing values Python cannot compare (null or a string with a number, say) makes the condition false
/// rather than failing the call. A null field makes <c>in</c> false as well as <c>nin</c>, even against a list
/// holding null (Python would say true there). <c>count</c> wins over <c>get</c>. The input rows are never
/// changed: what is returned is a copy.</para>
/// </remarks>
public static class QueryEngine
{
    /// <summary>Filters, orders, pages and projects <paramref name="rows"/>.</summary>
    /// <param name="rows">The rows, in their natural order (kept for equal sort keys).</param>
    /// <param name="filters">A list of conditions <c>[field, op, value]</c> and <c>["OR", [branch, …]]</c>
    /// groups, all ANDed; null or empty for all rows.</param>
    /// <param name="options">The query options; null for the defaults.</param>
    /// <returns>A <see cref="JsonArray"/> of rows; the single row (a <see cref="JsonObject"/>) with <c>get</c>; a
    /// number with <c>count</c>.</returns>
    /// <exception cref="ValidationException">The filters or options are invalid.</exception>
    /// <exception cref="MatchNotFoundException"><c>get</c> was asked and nothing matched.</exception>
    public static JsonNode? Apply(IEnumerable<JsonObject> rows, JsonArray? filters, QueryOptions? options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var parsedOptions = QueryOptionsParser.Parse(options);
        var parsedFilters = FilterParser.Parse(filters);
        return ApplyParsed(rows, parsedFilters, parsedOptions);
    }

    internal static JsonNode? ApplyParsed(
        IEnumerable<JsonObject> rows, IReadOnlyList<FilterNode> filters, ParsedQueryOptions options)
    {
        var matches = filters.Count == 0 ? rows : rows.Where(row => FilterEvaluator.MatchesAll(row, filters));
        if (options.Count)
        {
            return JsonValue.Create(matches.Count());
        }

        if (options.OrderBy.Count > 0)
        {
            // OrderBy is a stable sort: rows with equal keys keep their input order.
            matches = matches.OrderBy(row => row, new RowOrderComparer(options.OrderBy));
        }

        if (options.Get)
        {
            // Lazy: without order_by this stops at the first match, as upstream's short-circuit.
            var first = matches.FirstOrDefault() ?? throw new MatchNotFoundException();
            return Project(first, options.Select);
        }

        if (options.Offset > 0)
        {
            matches = matches.Skip(options.Offset);
        }

        if (options.Limit > 0)
        {
            matches = matches.Take(options.Limit);
        }

        var result = new JsonArray();
        foreach (var row in matches)
        {
            result.Add(Project(row, options.Select));
        }

        return result;
    }

    private static JsonObject Project(JsonObject row, IReadOnlyList<SelectEntry> select) =>
        select.Count == 0 ? row.DeepClone().AsObject() : RowSelector.Select(row, select);
}
