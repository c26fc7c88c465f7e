using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JobServer.Sdk.Query;

/// <summary>
/// Evaluates parsed filters against a row, as upstream's <c>eval_filter</c>/<c>filterop</c>: a missing key makes a
/// condition false whatever the operator, a wildcard is true when any element matches, and the operators treat
/// null as <c>filter_ops.py</c> does. Where Python would raise a TypeError (comparing a string with a number, say)
/// the condition is false.
/// </summary>
internal static class FilterEvaluator
{
    public static bool MatchesAll(JsonNode? row, IReadOnlyList<FilterNode> filters)
    {
        foreach (var filter in filters)
        {
            if (!Matches(row, filter))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(JsonNode? row, FilterNode filter) => filter switch
    {
        FilterOrGroup group => group.Branches.Any(branch => MatchesAll(row, branch)),
        FilterCondition condition => MatchesPath(row, condition, 0),
        _ => throw new InvalidOperationException("Unknown filter node."),
    };

    private static bool MatchesPath(JsonNode? current, FilterCondition condition, int start)
    {
        var segments = condition.Path.Segments;
        for (var i = start; i < segments.Count; i++)
        {
            var key = segments[i];
            switch (current)
            {
                case JsonObject obj:
                    if (!obj.TryGetPropertyValue(key, out current))
                    {
                        return false;
                    }

                    break;
                case JsonArray array when key == FieldPath.Wildcard:
                    foreach (var element in array)
                    {
                        if (MatchesPath(element, condition, i + 1))
                        {
                            return true;
                        }
                    }

                    return false;
                case JsonArray array:
                    if (!FieldPath.IsIndex(key))
                    {
                        throw QueryErrors.Filter($"{key}: must be array index or wildcard character");
                    }

                    current = FieldPath.ElementAt(array, key);
                    break;
                case null:
                    // Upstream walks on through None and compares None.
                    break;
                default:
                    // A key into a number or a string: there is no such field.
                    return false;
            }
        }

        return condition.Timestamp is { } instant
            ? MatchesTimestamp(current, condition.Operator, instant)
            : MatchesValue(condition.CaseInsensitive ? CaseFolding.Fold(current) : current, condition);
    }

    private static bool MatchesTimestamp(JsonNode? field, FilterOperator op, DateTimeOffset operand)
    {
        if (!Timestamps.TryFromStored(field, out var stored))
        {
            // Not a timestamp (null, say): never equal, never ordered, as Python comparing None with a datetime.
            return op == FilterOperator.NotEqual;
        }

        var result = stored.CompareTo(operand);
        return op switch
        {
            FilterOperator.Equal => result == 0,
            FilterOperator.NotEqual => result != 0,
            FilterOperator.GreaterThan => result > 0,
            FilterOperator.GreaterOrEqual => result >= 0,
            FilterOperator.LessThan => result < 0,
            _ => result <= 0,
        };
    }

    private static bool MatchesValue(JsonNode? field, FilterCondition condition)
    {
        var value = condition.Value;
        switch (condition.Operator)
        {
            case FilterOperator.Equal:
                return JsonValues.AreEqual(field, value);
            case FilterOperator.NotEqual:
                return !JsonValues.AreEqual(field, value);
            case FilterOperator.GreaterThan:
                return JsonValues.TryCompare(field, value, out var gt) && gt > 0;
            case FilterOperator.GreaterOrEqual:
                return JsonValues.TryCompare(field, value, out var ge) && ge >= 0;
            case FilterOperator.LessThan:
                return JsonValues.TryCompare(field, value, out var lt) && lt < 0;
            case FilterOperator.LessOrEqual:
                return JsonValues.TryCompare(field, value, out var le) && le <= 0;
            case FilterOperator.Match:
                return MatchesPattern(field, condition.Pattern!);
            default:
                return !JsonValues.IsNull(field) && MatchesNonNull(field!, condition.Operator, value);
        }
    }

    // The operators for which upstream returns False on a null field.
    private static bool MatchesNonNull(JsonNode field, FilterOperator op, JsonNode? value) => op switch
    {
        FilterOperator.In => Contains(value, field) ?? false,
        FilterOperator.NotIn => !Contains(value, field) ?? false,
        FilterOperator.ReverseIn => Contains(field, value) ?? false,
        FilterOperator.ReverseNotIn => !Contains(field, value) ?? false,
        FilterOperator.StartsWith => Affix(field, value, start: true) ?? false,
        FilterOperator.NotStartsWith => !Affix(field, value, start: true) ?? false,
        FilterOperator.EndsWith => Affix(field, value, start: false) ?? false,
        FilterOperator.NotEndsWith => !Affix(field, value, start: false) ?? false,
        _ => throw new InvalidOperationException($"Unknown operator {op}."),
    };

    /// <summary>Python's <c>item in container</c>; null where Python raises TypeError.</summary>
    private static bool? Contains(JsonNode? container, JsonNode? item)
    {
        switch (container)
        {
            case JsonArray array:
                return array.Any(element => JsonValues.AreEqual(element, item));
            case JsonObject obj:
                return JsonValues.TryGetString(item, out var key) ? obj.ContainsKey(key) : null;
            default:
                return JsonValues.TryGetString(container, out var text) && JsonValues.TryGetString(item, out var part)
                    ? text.Contains(part, StringComparison.Ordinal)
                    : null;
        }
    }

    private static bool? Affix(JsonNode field, JsonNode? value, bool start)
    {
        if (!JsonValues.TryGetString(field, out var text) || !JsonValues.TryGetString(value, out var affix))
        {
            return null;
        }

        return start
            ? text.StartsWith(affix, StringComparison.Ordinal)
            : text.EndsWith(affix, StringComparison.Ordinal);
    }

    private static bool MatchesPattern(JsonNode? field, Regex pattern)
    {
        // Upstream matches `field or ''`, so null is the empty string; a number is a TypeError there.
        string text;
        if (JsonValues.IsNull(field))
        {
            text = string.Empty;
        }
        else if (!JsonValues.TryGetString(field, out text))
        {
            return false;
        }

        try
        {
            return pattern.Match(text, 0).Success;
        }
        catch (RegexMatchTimeoutException)
        {
            throw QueryErrors.Filter($"Regular expression {pattern} took too long to match");
        }
    }
}
