using System.Globalization;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>Validates <see cref="QueryOptions"/> as upstream's <c>validate_options</c>, before anything is read.</summary>
internal static class QueryOptionsParser
{
    public static ParsedQueryOptions Parse(QueryOptions? options)
    {
        options ??= new QueryOptions();
        if (options.Offset < 0)
        {
            throw QueryErrors.Option("offset", "Must be greater than or equal to 0");
        }

        if (options.Limit is < 0 or > QueryOptions.MaxLimit)
        {
            throw QueryErrors.Option(
                "limit",
                string.Create(CultureInfo.InvariantCulture, $"Must be between 0 and {QueryOptions.MaxLimit}"));
        }

        if (options.Get && (options.Limit > 1 || options.Offset > 0))
        {
            throw QueryErrors.Option("Invalid options combination. `get` implies a single result.");
        }

        return new ParsedQueryOptions(
            ParseOrder(options.OrderBy ?? []),
            ParseSelect(options.Select),
            options.Count,
            options.Get,
            options.Offset,
            options.Limit);
    }

    private static List<OrderKey> ParseOrder(IReadOnlyList<string> orderBy) =>
        orderBy.Select(text => (text is null ? null : OrderKey.TryParse(text))
            ?? throw QueryErrors.Option("order_by", $"Invalid order_by entry: {text ?? "null"}")).ToList();

    private static List<SelectEntry> ParseSelect(JsonArray? select)
    {
        var entries = new List<SelectEntry>();
        foreach (var item in select ?? [])
        {
            if (JsonValues.TryGetString(item, out var path) && path.Length > 0)
            {
                entries.Add(new SelectEntry(FieldPath.Parse(path), null));
            }
            else if (item is JsonArray { Count: 2 } pair
                && JsonValues.TryGetString(pair[0], out var target) && target.Length > 0
                && JsonValues.TryGetString(pair[1], out var name) && name.Length > 0)
            {
                entries.Add(new SelectEntry(FieldPath.Parse(target), name));
            }
            else
            {
                throw QueryErrors.Option("select", $"Invalid select entry: {item?.ToJsonString() ?? "null"}");
            }
        }

        return entries;
    }
}
