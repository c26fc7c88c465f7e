using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace JobServer.Rest.Mirror;

/// <summary>
/// The query string of a filterable GET as a query's <c>filters</c> and <c>options</c> (reference §8):
/// <c>field=value</c> and <c>field__op=value</c> (op one of eq, neq, gt, lt, gte, lte, regex; values that read as
/// an integer, true, false or null are converted), <c>limit</c>, <c>offset</c>, <c>count</c>, <c>sort=a,-b</c>
/// (into <c>order_by</c>; upstream put it in a key the query ignored) and <c>extra.&lt;key&gt;</c>.
/// </summary>
internal static class RestQueryString
{
    /// <summary>Names the mirror itself reads; never taken as a field.</summary>
    public static readonly IReadOnlySet<string> ControlNames =
        new HashSet<string>(StringComparer.Ordinal) { "wait", "auth_token", "filename" };

    private static readonly Dictionary<string, string> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = "=",
        ["neq"] = "!=",
        ["gt"] = ">",
        ["lt"] = "<",
        ["gte"] = ">=",
        ["lte"] = "<=",
        ["regex"] = "~",
    };

    /// <summary>The filters and the options; throws <see cref="RestRequestException"/> (400) for a bad one.</summary>
    public static (JsonArray Filters, JsonObject Options) Parse(IQueryCollection query)
    {
        var filters = new JsonArray();
        var options = new JsonObject();
        foreach (var (name, values) in query)
        {
            if (ControlNames.Contains(name))
            {
                continue;
            }

            var value = Single(name, values);
            switch (name)
            {
                case "limit":
                case "offset":
                    options[name] = Integer(name, value);
                    break;
                case "count":
                    options[name] = Boolean(name, value);
                    break;
                case "sort":
                    options["order_by"] = new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(key => (JsonNode?)key.Trim()).ToArray());
                    break;
                case var _ when name.StartsWith("extra.", StringComparison.Ordinal) && name.Length > "extra.".Length:
                    var extra = options["extra"] as JsonObject ?? new JsonObject();
                    extra[name["extra.".Length..]] = Convert(value);
                    options["extra"] = extra;
                    break;
                default:
                    filters.Add(Filter(name, value));
                    break;
            }
        }

        return (filters, options);
    }

    private static JsonArray Filter(string name, string value)
    {
        var field = name;
        var op = "=";
        var split = name.LastIndexOf("__", StringComparison.Ordinal);
        if (split >= 0)
        {
            var alias = name[(split + 2)..];
            op = Operators.GetValueOrDefault(alias) ?? throw new RestRequestException(
                $"Unknown operator \"{alias}\" in \"{name}\": use one of {string.Join(", ", Operators.Keys)}");
            field = name[..split];
        }

        if (field.Length == 0)
        {
            throw new RestRequestException("A filter needs a field name");
        }

        return new JsonArray(field, op, Convert(value));
    }

    /// <summary>Integers, true, false and null as such; anything else a string (upstream's conversions).</summary>
    private static JsonNode? Convert(string value) => value switch
    {
        "true" => true,
        "false" => false,
        "null" => null,
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) =>
            number,
        _ => value,
    };

    private static string Single(string name, StringValues values) => values.Count == 1
        ? values[0] ?? ""
        : throw new RestRequestException($"\"{name}\" is given {values.Count} times; give it once");

    private static int Integer(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new RestRequestException($"\"{name}\" must be a non-negative integer");

    private static bool Boolean(string name, string value) => value switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new RestRequestException($"\"{name}\" must be true or false"),
    };
}
