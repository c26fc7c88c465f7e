using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JobServer.Sdk.Query;

/// <summary>
/// Instants for <c>field.$date</c> conditions: a stored value is either <c>{"$date": epoch_ms}</c> (middlewared's
/// wire form of a datetime) or an ISO-8601 string; the operand is an ISO-8601 string. A time without an offset
/// is taken as UTC.
/// </summary>
internal static partial class Timestamps
{
    public const string Designator = ".$date";
    private const string DateKey = "$date";

    public static bool TryParseIso(string text, out DateTimeOffset instant)
    {
        instant = default;
        return IsoPrefix().IsMatch(text)
            && DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
                out instant);
    }

    public static bool TryFromStored(JsonNode? node, out DateTimeOffset instant)
    {
        if (TryFromDateObject(node, out instant))
        {
            return true;
        }

        return JsonValues.TryGetString(node, out var text) && TryParseIso(text, out instant);
    }

    public static bool TryFromDateObject(JsonNode? node, out DateTimeOffset instant)
    {
        instant = default;
        if (node is not JsonObject obj || obj.Count != 1 || !obj.TryGetPropertyValue(DateKey, out var ms)
            || !JsonValues.TryGetNumber(ms, out var number, out _, out _)
            || double.IsNaN(number) || Math.Abs(number) > 8.64e15)
        {
            return false;
        }

        instant = DateTimeOffset.UnixEpoch.AddTicks((long)(number * TimeSpan.TicksPerMillisecond));
        return true;
    }

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPrefix();
}
