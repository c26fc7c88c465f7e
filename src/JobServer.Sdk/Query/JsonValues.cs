using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// Equality and ordering of JSON values with Python's meaning: numbers by value (<c>1 == 1.0</c>), strings by code
/// point (which is also SQLite's BINARY collation), lists and objects structurally.
/// </summary>
internal static class JsonValues
{
    public static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static bool IsNull(JsonNode? node) => KindOf(node) == JsonValueKind.Null;

    public static bool TryGetString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.TryGetValue<string>(out var s) ? s : ToElement(value).GetString()!;
            return true;
        }

        text = string.Empty;
        return false;
    }

    public static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        var kind = KindOf(a);
        if (IsBoolean(kind) && IsBoolean(KindOf(b)))
        {
            return kind == KindOf(b);
        }

        if (kind != KindOf(b))
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Number:
                return CompareNumbers(a!, b!) == 0;
            case JsonValueKind.String:
                TryGetString(a, out var left);
                TryGetString(b, out var right);
                return string.Equals(left, right, StringComparison.Ordinal);
            case JsonValueKind.Array:
                var x = a!.AsArray();
                var y = b!.AsArray();
                return x.Count == y.Count && x.Zip(y).All(pair => AreEqual(pair.First, pair.Second));
            case JsonValueKind.Object:
                var p = a!.AsObject();
                var q = b!.AsObject();
                return p.Count == q.Count
                    && p.All(entry => q.TryGetPropertyValue(entry.Key, out var other) && AreEqual(entry.Value, other));
            default:
                return false;
        }
    }

    /// <summary>
    /// Compares two values for <c>&gt; &gt;= &lt; &lt;=</c>: numbers with numbers, strings with strings, booleans with
    /// booleans. Anything else (null with a number, say) is not comparable: upstream raises TypeError there, and we
    /// make the condition false instead.
    /// </summary>
    public static bool TryCompare(JsonNode? a, JsonNode? b, out int result)
    {
        var left = KindOf(a);
        var right = KindOf(b);
        result = 0;
        if (left == JsonValueKind.Number && right == JsonValueKind.Number)
        {
            result = CompareNumbers(a!, b!);
            return true;
        }

        if (left == JsonValueKind.String && right == JsonValueKind.String)
        {
            TryGetString(a, out var x);
            TryGetString(b, out var y);
            result = CompareCodePoints(x, y);
            return true;
        }

        if (IsBoolean(left) && IsBoolean(right))
        {
            result = (left == JsonValueKind.True).CompareTo(right == JsonValueKind.True);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A total order for sorting: null (and missing) first, then booleans, numbers, strings, lists and objects;
    /// <c>{"$date": ms}</c> objects order by their instant. Upstream raises on mixed types; we never do.
    /// </summary>
    public static int CompareForOrder(JsonNode? a, JsonNode? b)
    {
        if (TryCompare(a, b, out var result))
        {
            return result;
        }

        var rank = Rank(a).CompareTo(Rank(b));
        if (rank != 0)
        {
            return rank;
        }

        return Timestamps.TryFromDateObject(a, out var x) && Timestamps.TryFromDateObject(b, out var y)
            ? x.CompareTo(y)
            : 0;
    }

    /// <summary>Compares strings by Unicode code point, as Python and SQLite do, rather than by UTF-16 unit.</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return CodePointOrder(a[i]).CompareTo(CodePointOrder(b[i]));
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    public static bool TryGetNumber(JsonNode? node, out double number, out long integer, out bool isInteger)
    {
        number = 0;
        integer = 0;
        isInteger = false;
        if (KindOf(node) != JsonValueKind.Number)
        {
            return false;
        }

        var element = ToElement(node!.AsValue());
        isInteger = element.TryGetInt64(out integer);
        number = isInteger ? integer : element.GetDouble();
        return true;
    }

    private static int CompareNumbers(JsonNode a, JsonNode b)
    {
        TryGetNumber(a, out var x, out var i, out var xIsInteger);
        TryGetNumber(b, out var y, out var j, out var yIsInteger);
        return xIsInteger && yIsInteger ? i.CompareTo(j) : x.CompareTo(y);
    }

    private static JsonElement ToElement(JsonValue value) =>
        value.TryGetValue<JsonElement>(out var element)
            ? element
            : JsonDocument.Parse(value.ToJsonString()).RootElement.Clone();

    private static bool IsBoolean(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False;

    private static int Rank(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => 0,
        JsonValueKind.False or JsonValueKind.True => 1,
        JsonValueKind.Number => 2,
        JsonValueKind.String => 3,
        JsonValueKind.Array => 4,
        _ => 5,
    };

    // UTF-16 puts the surrogates (U+D800-DFFF) below U+E000-FFFF; in code point order they come after.
    private static int CodePointOrder(char c) => c switch
    {
        >= '\uD800' and <= '\uDFFF' => c + 0x2000,
        >= '\uE000' => c - 0x800,
        _ => c,
    };
}
