using System.Linq.Expressions;
using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Sdk.Query;

/// <summary>
/// Pushes query filters and options into an <see cref="IQueryable{T}"/> (an EF Core <c>DbSet</c>, say) as LINQ
/// expression trees, and leaves the rest to <see cref="QueryEngine"/>, with results identical to running
/// everything in memory over the serialized rows.
/// </summary>
/// <remarks>
/// <para>Each top-level condition on a scalar property (string; integer types; double; bool; DateTime for
/// <c>field.$date</c>), named by its wire name, with <c>= != &gt; &gt;= &lt; &lt;= in nin ^ !^ $ !$</c> or
/// <c>C= C!= Cin Cnin C^ C!^ C$ C!$</c> (ASCII operands), becomes a <c>Where</c>; an OR group does when all
/// its parts do. Regular expressions, <c>rin</c>/<c>rnin</c>, dotted, indexed and wildcard paths, and operands
/// of another type stay in memory.</para>
/// <para>When every filter is translated, <c>count</c> becomes <c>Count()</c>, and <c>order_by</c> on string,
/// integer, double and boolean properties, <c>offset</c>, <c>limit</c> and <c>get</c> are pushed as well.
/// <c>select</c> always runs in memory, after ordering.</para>
/// <para>DateTime values are taken to be UTC. Rows with equal sort keys come in the database's order.</para>
/// </remarks>
public static class QueryableFilter
{
    /// <summary>Translates what it can of the filters and options into the query.</summary>
    /// <typeparam name="T">The entity type, serialized with <see cref="WireJson.Options"/> for clients.</typeparam>
    /// <param name="source">The entities.</param>
    /// <param name="filters">middlewared query filters; null for none.</param>
    /// <param name="options">Query options; null for the defaults.</param>
    /// <returns>The narrowed query and what is left to run in memory.</returns>
    /// <exception cref="ValidationException">The filters or options are invalid.</exception>
    public static QueryPlan<T> Translate<T>(IQueryable<T> source, JsonArray? filters, QueryOptions? options)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new QueryOptions();
        var parsedOptions = QueryOptionsParser.Parse(options);
        var parsedFilters = FilterParser.Parse(filters);
        var properties = WirePropertyMap.For(typeof(T));

        var row = Expression.Parameter(typeof(T), "row");
        var query = source;
        var remaining = new List<FilterNode>();
        foreach (var filter in parsedFilters)
        {
            if (ConditionTranslator.Translate(filter, row, properties) is { } predicate)
            {
                query = query.Where(Expression.Lambda<Func<T, bool>>(predicate, row));
            }
            else
            {
                remaining.Add(filter);
            }
        }

        if (remaining.Count > 0)
        {
            return new QueryPlan<T>(query, remaining, parsedOptions, options, isCount: false);
        }

        if (parsedOptions.Count)
        {
            return new QueryPlan<T>(query, [], parsedOptions, options, isCount: true);
        }

        var ordered = parsedOptions.OrderBy.Count == 0
            ? query
            : OrderTranslator.TryApply(query, parsedOptions.OrderBy, properties);
        if (ordered is null)
        {
            return new QueryPlan<T>(query, [], parsedOptions, options, isCount: false);
        }

        if (parsedOptions.Get)
        {
            ordered = ordered.Take(1);
        }
        else
        {
            ordered = parsedOptions.Offset > 0 ? ordered.Skip(parsedOptions.Offset) : ordered;
            ordered = parsedOptions.Limit > 0 ? ordered.Take(parsedOptions.Limit) : ordered;
        }

        var rest = parsedOptions with { OrderBy = [], Offset = 0, Limit = 0 };
        return new QueryPlan<T>(
            ordered, [], rest, options with { OrderBy = [], Offset = 0, Limit = 0 }, isCount: false);
    }

    /// <summary>Translates and runs a query: the translated part in the source, the rest in memory.</summary>
    /// <typeparam name="T">The entity type, serialized with <see cref="WireJson.Options"/> for clients.</typeparam>
    /// <param name="source">The entities.</param>
    /// <param name="filters">middlewared query filters; null for none.</param>
    /// <param name="options">Query options; null for the defaults.</param>
    /// <returns>As <see cref="QueryEngine.Apply(IEnumerable{JsonObject}, JsonArray?, QueryOptions?)"/>.</returns>
    /// <exception cref="ValidationException">The filters or options are invalid.</exception>
    /// <exception cref="MatchNotFoundException"><c>get</c> was asked and nothing matched.</exception>
    public static JsonNode? Execute<T>(IQueryable<T> source, JsonArray? filters, QueryOptions? options) =>
        Translate(source, filters, options).Execute();
}
