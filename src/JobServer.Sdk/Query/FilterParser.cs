using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JobServer.Sdk.Query;

/// <summary>
/// Validates a filter list and turns it into <see cref="FilterNode"/>s, with the messages of upstream's
/// <c>validate_filters</c>. Every shape error is found here, before any row is read.
/// </summary>
internal static class FilterParser
{
    /// <summary>Upstream's MAX_FILTERS_DEPTH: how many ORs may nest.</summary>
    public const int MaxDepth = 3;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["="] = FilterOperator.Equal,
        ["!="] = FilterOperator.NotEqual,
        [">"] = FilterOperator.GreaterThan,
        [">="] = FilterOperator.GreaterOrEqual,
        ["<"] = FilterOperator.LessThan,
        ["<="] = FilterOperator.LessOrEqual,
        ["~"] = FilterOperator.Match,
        ["in"] = FilterOperator.In,
        ["nin"] = FilterOperator.NotIn,
        ["rin"] = FilterOperator.ReverseIn,
        ["rnin"] = FilterOperator.ReverseNotIn,
        ["^"] = FilterOperator.StartsWith,
        ["!^"] = FilterOperator.NotStartsWith,
        ["$"] = FilterOperator.EndsWith,
        ["!$"] = FilterOperator.NotEndsWith,
    };

    public static IReadOnlyList<FilterNode> Parse(JsonArray? filters) =>
        filters is null ? [] : ParseList(filters, depth: 0);

    private static List<FilterNode> ParseList(JsonArray filters, int depth)
    {
        if (depth > MaxDepth)
        {
            throw QueryErrors.Filter("query-filters max recursion depth exceeded");
        }

        return filters.Select(filter => ParseOne(filter, depth)).ToList();
    }

    private static FilterNode ParseOne(JsonNode? filter, int depth)
    {
        if (filter is not JsonArray parts)
        {
            throw QueryErrors.Filter($"Invalid filter {Describe(filter)}");
        }

        return parts.Count switch
        {
            2 => ParseOr(parts, depth),
            3 => ParseCondition(parts),
            _ => throw QueryErrors.Filter($"Invalid filter {Describe(parts)}"),
        };
    }

    private static FilterOrGroup ParseOr(JsonArray parts, int depth)
    {
        if (!JsonValues.TryGetString(parts[0], out var op) || op != "OR")
        {
            throw QueryErrors.Filter($"Invalid operation: {Text(parts[0])}");
        }

        if (parts[1] is not JsonArray branches)
        {
            throw QueryErrors.Filter($"Invalid filter {Describe(parts)}");
        }

        if (branches.Count == 0)
        {
            throw QueryErrors.Filter("OR filter requires at least one branch.");
        }

        var parsed = new List<IReadOnlyList<FilterNode>>();
        foreach (var branch in branches)
        {
            // As upstream: a branch whose first element is a list is an AND group of conditions.
            var isGroup = branch is JsonArray { Count: > 0 } list && list[0] is JsonArray;
            parsed.Add(isGroup
                ? ParseList(branch!.AsArray(), depth + 1)
                : ParseList([branch?.DeepClone()], depth + 1));
        }

        return new FilterOrGroup(parts, parsed);
    }

    private static FilterCondition ParseCondition(JsonArray parts)
    {
        if (!JsonValues.TryGetString(parts[0], out var field) || !JsonValues.TryGetString(parts[1], out var opText))
        {
            throw QueryErrors.Filter($"Invalid filter {Describe(parts)}");
        }

        var caseInsensitive = opText.Length > 1 && opText[0] == 'C';
        var baseOp = caseInsensitive ? opText[1..] : opText;
        if (!Operators.TryGetValue(baseOp, out var op))
        {
            throw QueryErrors.Filter($"Invalid operation: {opText}");
        }

        var value = parts[2];
        if (field.EndsWith(Timestamps.Designator, StringComparison.Ordinal))
        {
            return ParseTimestampCondition(parts, field, opText, op, caseInsensitive, value);
        }

        if (caseInsensitive && op == FilterOperator.Match)
        {
            throw QueryErrors.Filter($"Invalid case-insensitive operation: {opText}");
        }

        CheckOperand(parts, op, caseInsensitive, value);
        return new FilterCondition(parts, FieldPath.Parse(field), op, caseInsensitive ? CaseFolding.Fold(value) : value)
        {
            CaseInsensitive = caseInsensitive,
            Pattern = op == FilterOperator.Match ? CompilePattern(value) : null,
        };
    }

    private static FilterCondition ParseTimestampCondition(
        JsonArray parts, string field, string opText, FilterOperator op, bool caseInsensitive, JsonNode? value)
    {
        if (caseInsensitive || op > FilterOperator.LessOrEqual)
        {
            throw QueryErrors.Filter($"Invalid operation for a timestamp filter: {opText}");
        }

        if (!JsonValues.TryGetString(value, out var text) || !Timestamps.TryParseIso(text, out var instant))
        {
            throw QueryErrors.Filter($"Invalid filter {Describe(parts)}: expected an ISO-8601 timestamp");
        }

        var path = FieldPath.Parse(field[..^Timestamps.Designator.Length]);
        return new FilterCondition(parts, path, op, value) { Timestamp = instant };
    }

    // Operand types upstream's Python would reject with a TypeError on the first row.
    private static void CheckOperand(JsonArray parts, FilterOperator op, bool caseInsensitive, JsonNode? value)
    {
        var kind = JsonValues.KindOf(value);
        var valid = op switch
        {
            FilterOperator.Match => kind == JsonValueKind.String,
            FilterOperator.In or FilterOperator.NotIn => kind is JsonValueKind.Array or JsonValueKind.String,
            FilterOperator.StartsWith or FilterOperator.NotStartsWith or FilterOperator.EndsWith
                or FilterOperator.NotEndsWith => kind == JsonValueKind.String,
            _ => true,
        };
        if (caseInsensitive && !CaseFolding.CanFold(value))
        {
            valid = false;
        }

        if (!valid)
        {
            throw QueryErrors.Filter($"Invalid filter {Describe(parts)}: unsupported value for the operation");
        }
    }

    private static Regex CompilePattern(JsonNode? value)
    {
        JsonValues.TryGetString(value, out var pattern);
        try
        {
            // re.match anchors at the start only; \G with Match(input, 0) does the same.
            return new Regex(@"\G(?:" + pattern + ")", RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw QueryErrors.Filter($"Invalid regular expression {pattern}: {e.Message}");
        }
    }

    private static string Text(JsonNode? node) =>
        JsonValues.TryGetString(node, out var text) ? text : Describe(node);

    private static string Describe(JsonNode? node) => node?.ToJsonString() ?? "null";
}
