using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Rest.Mirror;

/// <summary>
/// A REST request's positional parameters (reference §8): the item id from the path, filters and options from
/// the query string, and the body — the argument itself for a method of one argument, an object keyed by the
/// parameter names for several. Names the binder does not know are refused here, with upstream's messages.
/// </summary>
internal static class RestArguments
{
    /// <param name="body">The request's JSON body (or the upload's <c>data</c> part); null when there is none.</param>
    public static JsonArray Build(RestRoute route, string? id, JsonNode? body, bool hasBody, IQueryCollection query)
    {
        var wire = route.Method.WireParameters;
        switch (route.Kind)
        {
            case RestRouteKind.Query:
            case RestRouteKind.Method when route.IsFilterable:
                var (filters, options) = RestQueryString.Parse(query);
                return [filters, options];
            case RestRouteKind.GetInstance:
                return [IdOf(id)];
            case RestRouteKind.UpdateInstance:
                return hasBody ? [IdOf(id), body] : [IdOf(id)];
            case RestRouteKind.DeleteInstance when hasBody && wire.Count < 2:
                throw new RestRequestException($"DELETE {route.Path} takes no body");
            case RestRouteKind.DeleteInstance:
                return hasBody ? [IdOf(id), body] : [IdOf(id)];
            case RestRouteKind.Config:
                return [];
            default:
                return wire.Count switch
                {
                    0 => [],
                    1 => hasBody ? [body] : [],
                    _ => ByName(route, body),
                };
        }
    }

    /// <summary>An id that reads as an integer is one; anything else goes on as text, for the binder to refuse.</summary>
    private static JsonNode? IdOf(string? id) =>
        long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : id;

    /// <summary>Several arguments: an object keyed by the parameter names; a missing optional one takes its default.</summary>
    private static JsonArray ByName(RestRoute route, JsonNode? body)
    {
        var wire = route.Method.WireParameters;
        var given = body switch
        {
            null => [],
            JsonObject values => values,
            _ => throw new RestRequestException(
                $"The body must be an object keyed by the parameter names: {string.Join(", ", wire.Select(p => p.Name))}"),
        };
        var unexpected = given.Select(p => p.Key).Where(k => wire.All(p => p.Name != k)).ToArray();
        if (unexpected.Length > 0)
        {
            throw new RestRequestException($"The following attributes are not expected: {string.Join(", ", unexpected)}");
        }

        var last = -1;
        for (var i = 0; i < wire.Count; i++)
        {
            if (given.ContainsKey(wire[i].Name))
            {
                last = i;
            }
            else if (!wire[i].IsOptional)
            {
                throw new RestRequestException($"{wire[i].Name} attribute expected.");
            }
        }

        var defaults = route.Method.Accepts["prefixItems"] as JsonArray;
        var arguments = new JsonArray();
        for (var i = 0; i <= last; i++)
        {
            arguments.Add(given.TryGetPropertyValue(wire[i].Name, out var value)
                ? value?.DeepClone()
                : defaults?[i]?["default"]?.DeepClone());
        }

        return arguments;
    }

    // Shared by every call without arguments (most GETs): a cloned element is immutable and owns its memory.
    private static readonly JsonElement NoArguments = JsonDocument.Parse("[]").RootElement.Clone();

    /// <summary>The parameters as the Dispatcher takes them.</summary>
    public static JsonElement ToElement(JsonArray arguments) => arguments.Count == 0
        ? NoArguments
        : JsonSerializer.SerializeToElement(arguments, RestJsonContext.Default.JsonArray);
}
