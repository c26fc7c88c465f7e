using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// Turns a parsed filter into a LINQ predicate over an entity's properties, or null when it cannot be expressed
/// with exactly the in-memory engine's meaning (then the filter runs in memory). Only constructs EF Core's SQLite
/// provider translates are used: <c>==</c>, <c>string.Compare(a, b)</c>, <c>Length</c>, <c>Substring</c>,
/// <c>ToLower()</c> and <c>Enumerable.Contains</c> over a constant list. <c>StartsWith</c>/<c>EndsWith</c> are
/// avoided on purpose: for a constant, EF turns them into SQLite's LIKE, which ignores ASCII case.
/// </summary>
internal static partial class ConditionTranslator
{
    public static Expression? Translate(
        FilterNode node, ParameterExpression row, IReadOnlyDictionary<string, WireProperty> properties) =>
        node switch
        {
            FilterOrGroup group => TranslateOr(group, row, properties),
            FilterCondition condition => TranslateCondition(condition, row, properties),
            _ => null,
        };

    private static Expression? TranslateOr(
        FilterOrGroup group, ParameterExpression row, IReadOnlyDictionary<string, WireProperty> properties)
    {
        Expression? any = null;
        foreach (var branch in group.Branches)
        {
            Expression? all = null;
            foreach (var node in branch)
            {
                if (Translate(node, row, properties) is not { } predicate)
                {
                    return null;
                }

                all = all is null ? predicate : Expression.AndAlso(all, predicate);
            }

            any = any is null ? all : Expression.OrElse(any, all!);
        }

        return any;
    }

    private static Expression? TranslateCondition(
        FilterCondition condition, ParameterExpression row, IReadOnlyDictionary<string, WireProperty> properties)
    {
        if (condition.Path.Segments.Count != 1
            || !properties.TryGetValue(condition.Path.Segments[0], out var property))
        {
            return null;
        }

        var member = Expression.Property(row, property.Property);
        if (condition.Timestamp is { } instant)
        {
            return property.Kind == ScalarKind.DateTime
                ? Compare(member, QueryParameter.Of(instant.UtcDateTime, property.Type), condition.Operator)
                : null;
        }

        if (property.Kind == ScalarKind.DateTime)
        {
            return null;
        }

        if (JsonValues.IsNull(condition.Value) && condition.Operator is FilterOperator.Equal or FilterOperator.NotEqual)
        {
            return EqualsNull(member, property, condition.Operator == FilterOperator.NotEqual);
        }

        if (condition.CaseInsensitive)
        {
            return property.Kind == ScalarKind.String ? TranslateFolded(condition, member, property) : null;
        }

        return condition.Operator switch
        {
            FilterOperator.Equal or FilterOperator.NotEqual or FilterOperator.GreaterThan
                or FilterOperator.GreaterOrEqual or FilterOperator.LessThan or FilterOperator.LessOrEqual
                => TranslateComparison(condition, member, property),
            FilterOperator.In or FilterOperator.NotIn => TranslateIn(condition, member, property),
            FilterOperator.StartsWith or FilterOperator.NotStartsWith or FilterOperator.EndsWith
                or FilterOperator.NotEndsWith when property.Kind == ScalarKind.String
                => TranslateAffix(member, property, condition.Value, condition.Operator),
            _ => null,
        };
    }

    private static Expression EqualsNull(MemberExpression member, WireProperty property, bool negate)
    {
        if (!property.IsNullable)
        {
            // The serialized value is never null: `= null` is false and `!= null` true for every row.
            return Expression.Constant(negate);
        }

        var isNull = Expression.Equal(member, Expression.Constant(null, property.Type));
        return negate ? Expression.Not(isNull) : isNull;
    }

    private static Expression? TranslateComparison(
        FilterCondition condition, MemberExpression member, WireProperty property)
    {
        if (!TryConstant(property, condition.Value, out var constant))
        {
            return null;
        }

        var op = condition.Operator;
        var value = QueryParameter.Of(constant, property.Type);
        if (op is FilterOperator.Equal or FilterOperator.NotEqual)
        {
            // C# null semantics, which EF Core keeps: a null field is != every value, as in memory.
            return Compare(member, value, op);
        }

        return property.Kind switch
        {
            ScalarKind.String => NotNullAnd(member, property,
                Compare(Expression.Call(StringCompare, member, value), Expression.Constant(0), op)),
            ScalarKind.Integer or ScalarKind.Real => NotNullAnd(member, property, Compare(member, value, op)),
            _ => null,
        };
    }

    private static Expression? TranslateIn(FilterCondition condition, MemberExpression member, WireProperty property)
    {
        if (condition.Value is not JsonArray items)
        {
            return null;
        }

        // Items that cannot convert (another JSON type, 1.5 for an int) equal no value of the property, so
        // dropping them changes neither `in` nor `nin`.
        var values = new List<object>();
        foreach (var item in items)
        {
            if (TryConstant(property, item, out var value) && value is not null)
            {
                values.Add(value);
            }
        }

        var contains = Contains(values, property.ValueType, ValueOf(member, property));
        return NotNullAnd(member, property, Negate(condition.Operator == FilterOperator.NotIn, contains));
    }

    private static Expression Compare(Expression left, Expression right, FilterOperator op) => op switch
    {
        FilterOperator.Equal => Expression.Equal(left, right),
        FilterOperator.NotEqual => Expression.NotEqual(left, right),
        FilterOperator.GreaterThan => Expression.GreaterThan(left, right),
        FilterOperator.GreaterOrEqual => Expression.GreaterThanOrEqual(left, right),
        FilterOperator.LessThan => Expression.LessThan(left, right),
        FilterOperator.LessOrEqual => Expression.LessThanOrEqual(left, right),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a comparison."),
    };

    /// <summary><c>member != null &amp;&amp; body</c>: the in-memory operators other than = and != are false on null.</summary>
    private static Expression NotNullAnd(MemberExpression member, WireProperty property, Expression body) =>
        property.IsNullable
            ? Expression.AndAlso(Expression.NotEqual(member, Expression.Constant(null, property.Type)), body)
            : body;

    private static Expression ValueOf(MemberExpression member, WireProperty property) =>
        property.Type.IsValueType && property.Type != property.ValueType
            ? Expression.Property(member, "Value")
            : member;

    private static MethodCallExpression Contains(List<object> values, Type itemType, Expression item)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
        foreach (var value in values)
        {
            list.Add(value);
        }

        // A parameter (QueryParameter), not a constant: EF inlines a constant list's items as SQL literals, so each
        // new set of values compiled the query again.
        var contains = EnumerableContains.MakeGenericMethod(itemType);
        return Expression.Call(contains, QueryParameter.Of(list, list.GetType()), item);
    }
}
