using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JobServer.Sdk.Query;

/// <summary><c>[field, op, value]</c>, validated, with what evaluation needs computed once.</summary>
internal sealed class FilterCondition(JsonNode source, FieldPath path, FilterOperator op, JsonNode? value)
    : FilterNode(source)
{
    /// <summary>The field; for a <c>$date</c> condition, the path without the <c>.$date</c> suffix.</summary>
    public FieldPath Path { get; } = path;

    public FilterOperator Operator { get; } = op;

    /// <summary>The operand as sent (casefolded when <see cref="CaseInsensitive"/>).</summary>
    public JsonNode? Value { get; } = value;

    /// <summary>The <c>C</c> prefix: both sides are casefolded before comparing.</summary>
    public bool CaseInsensitive { get; init; }

    /// <summary>The compiled pattern of a <c>~</c> condition, anchored at the start.</summary>
    public Regex? Pattern { get; init; }

    /// <summary>The instant of a <c>field.$date</c> condition; null for other conditions.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
