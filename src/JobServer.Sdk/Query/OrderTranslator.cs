using System.Linq.Expressions;

namespace JobServer.Sdk.Query;

/// <summary>
/// Pushes <c>order_by</c> into the query when every key is a string, integer, double or boolean property:
/// those order the same in SQLite (nulls first ascending, strings by BINARY collation) as in memory. DateTime
/// is left out: in memory it sorts as its ISO text, where a fraction and a <c>Z</c> suffix do not order as
/// instants.
/// </summary>
internal static class OrderTranslator
{
    public static IQueryable<T>? TryApply<T>(
        IQueryable<T> source, IReadOnlyList<OrderKey> keys, IReadOnlyDictionary<string, WireProperty> properties)
    {
        var row = Expression.Parameter(typeof(T), "row");
        var expression = source.Expression;
        var first = true;
        foreach (var key in keys)
        {
            if (key.Path.Segments.Count != 1
                || !properties.TryGetValue(key.Path.Segments[0], out var property)
                || property.Kind == ScalarKind.DateTime)
            {
                return null;
            }

            var member = Expression.Property(row, property.Property);
            if (key.Nulls != NullPlacement.Smallest && property.IsNullable)
            {
                // nulls_first: null → 0 before 1; nulls_last: the other way round, whatever the key's direction.
                var nullRank = key.Nulls == NullPlacement.First ? 0 : 1;
                var rank = Expression.Condition(
                    Expression.Equal(member, Expression.Constant(null, property.Type)),
                    Expression.Constant(nullRank),
                    Expression.Constant(1 - nullRank));
                expression = OrderCall<T>(expression, Expression.Lambda(rank, row), first, descending: false);
                first = false;
            }

            expression = OrderCall<T>(expression, Expression.Lambda(member, row), first, key.Descending);
            first = false;
        }

        return source.Provider.CreateQuery<T>(expression);
    }

    private static MethodCallExpression OrderCall<T>(
        Expression source, LambdaExpression key, bool first, bool descending)
    {
        var name = (first ? "OrderBy" : "ThenBy") + (descending ? "Descending" : string.Empty);
        return Expression.Call(
            typeof(Queryable), name, [typeof(T), key.ReturnType], source, Expression.Quote(key));
    }
}
