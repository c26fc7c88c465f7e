using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>String operators, case folding and constants.</summary>
internal static partial class ConditionTranslator
{
    private static readonly MethodInfo StringCompare =
        typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    private static readonly MethodInfo Substring =
        typeof(string).GetMethod(nameof(string.Substring), [typeof(int), typeof(int)])!;

    private static readonly MethodInfo EnumerableContains = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);

    /// <summary>
    /// The <c>C</c> operators SQLite can match exactly: its <c>lower()</c> folds ASCII only, so the operand must
    /// be ASCII. (A stored K or İ, which .NET lowers to ASCII and SQLite keeps, still differs: rare enough.)
    /// </summary>
    private static Expression? TranslateFolded(
        FilterCondition condition, MemberExpression member, WireProperty property)
    {
        if (condition.Source is not JsonArray { Count: 3 } source || !IsAscii(source[2]))
        {
            return null;
        }

        var lowered = Expression.Call(member, ToLower);
        JsonValues.TryGetString(condition.Value, out var value);
        var constant = QueryParameter.Of(value, typeof(string));
        return condition.Operator switch
        {
            FilterOperator.Equal => NotNullAnd(member, property, Expression.Equal(lowered, constant)),
            FilterOperator.NotEqual => Expression.OrElse(
                Expression.Equal(member, Expression.Constant(null, typeof(string))),
                Expression.NotEqual(lowered, constant)),
            FilterOperator.In or FilterOperator.NotIn when condition.Value is JsonArray items => NotNullAnd(
                member, property, Negate(condition.Operator == FilterOperator.NotIn,
                    Contains(Strings(items), typeof(string), lowered))),
            FilterOperator.StartsWith or FilterOperator.NotStartsWith or FilterOperator.EndsWith
                or FilterOperator.NotEndsWith => TranslateAffix(member, property, condition.Value, condition.Operator, lowered),
            _ => null,
        };
    }

    /// <summary>
    /// <c>^ !^ $ !$</c> as <c>Length</c> and <c>Substring</c>, which SQLite runs as <c>length()</c>/<c>substr()</c>
    /// on code points. An operand with surrogate pairs stays in memory: there .NET counts two, SQLite one.
    /// </summary>
    private static Expression? TranslateAffix(
        MemberExpression member, WireProperty property, JsonNode? operand, FilterOperator op,
        Expression? folded = null)
    {
        if (!JsonValues.TryGetString(operand, out var affix) || affix.Any(char.IsSurrogate))
        {
            return null;
        }

        var text = folded ?? member;
        var length = Expression.Property(text, nameof(string.Length));
        // Parameters, as every operand (QueryParameter): a literal would make each new affix a new compiled query.
        var affixLength = QueryParameter.Of(affix.Length, typeof(int));
        var start = op is FilterOperator.StartsWith or FilterOperator.NotStartsWith
            ? (Expression)Expression.Constant(0)
            : Expression.Subtract(length, affixLength);
        var matches = Expression.AndAlso(
            Expression.GreaterThanOrEqual(length, affixLength),
            Expression.Equal(Expression.Call(text, Substring, start, affixLength), QueryParameter.Of(affix, typeof(string))));
        var negate = op is FilterOperator.NotStartsWith or FilterOperator.NotEndsWith;
        return NotNullAnd(member, property, Negate(negate, matches));
    }

    private static Expression Negate(bool negate, Expression expression) =>
        negate ? Expression.Not(expression) : expression;

    private static List<object> Strings(JsonArray items) =>
        items.Select(item => JsonValues.TryGetString(item, out var s) ? s : null)
            .OfType<object>()
            .ToList();

    private static bool IsAscii(JsonNode? node) => node switch
    {
        JsonArray array => array.All(IsAscii),
        _ => !JsonValues.TryGetString(node, out var text) || text.All(char.IsAscii),
    };

    /// <summary>The operand as a value of the property's type; false when it has no such value.</summary>
    private static bool TryConstant(WireProperty property, JsonNode? value, out object? constant)
    {
        constant = null;
        switch (property.Kind)
        {
            case ScalarKind.String when JsonValues.TryGetString(value, out var text):
                constant = text;
                return true;
            case ScalarKind.Boolean when JsonValues.KindOf(value) is System.Text.Json.JsonValueKind.True
                or System.Text.Json.JsonValueKind.False:
                constant = JsonValues.KindOf(value) == System.Text.Json.JsonValueKind.True;
                return true;
            case ScalarKind.Real when JsonValues.TryGetNumber(value, out var real, out _, out _)
                && double.IsFinite(real):
                constant = real;
                return true;
            case ScalarKind.Integer when JsonValues.TryGetNumber(value, out var number, out var integer, out var exact):
                if (!exact && (Math.Floor(number) != number || Math.Abs(number) >= 9.2e18))
                {
                    return false;
                }

                try
                {
                    constant = Convert.ChangeType(exact ? integer : (long)number, property.ValueType,
                        CultureInfo.InvariantCulture);
                    return true;
                }
                catch (OverflowException)
                {
                    return false;
                }

            default:
                return false;
        }
    }
}
