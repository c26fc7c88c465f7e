using System.Collections.Frozen;
using JobServer.Registry;
using JobServer.Sdk.Query;

namespace JobServer.Rest.Mirror;

/// <summary>
/// Every route of the REST mirror, generated once from the registry (reference §8), so a plugin's service has its
/// routes with no code of its own. Private services and methods, and methods that act on a live WebSocket session,
/// have none. A request is matched with two frozen-dictionary lookups.
/// </summary>
internal sealed class RestRouteTable
{
    /// <summary>The mirror's root path.</summary>
    public const string Prefix = "/api/v2.0";

    private readonly FrozenDictionary<string, RestRoute> _routes;
    private readonly FrozenDictionary<string, string[]> _verbsByPath;

    public RestRouteTable(MethodRegistry registry)
    {
        var routes = new Dictionary<string, RestRoute>(StringComparer.Ordinal);
        foreach (var method in registry.Methods.Where(IsMirrored).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var route = RouteOf(method);
            // Two names could map to one path (service "a" method "b" and a CRUD service "a.b"): the first keeps it.
            routes.TryAdd(Key(route.Verb, route.Path), route);
        }

        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
        _verbsByPath = routes.Values.GroupBy(r => r.Path, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(r => r.Verb).Order(StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal);
    }

    /// <summary>Every route, in a stable order (the OpenAPI document lists them so).</summary>
    public IEnumerable<RestRoute> Routes => _routes.Values.OrderBy(r => r.Path, StringComparer.Ordinal)
        .ThenBy(r => r.Verb, StringComparer.Ordinal);

    /// <summary>Methods the mirror offers: public, of a public service, and callable without a connection.</summary>
    public static bool IsMirrored(MethodDescriptor method) =>
        !method.IsPrivate && !method.Service.IsPrivate && !method.NeedsLiveSession;

    /// <summary>A method's two wire parameters are a query's <c>filters</c> and <c>options</c>.</summary>
    public static bool IsFilterable(MethodDescriptor method) =>
        method.WireParameters is [{ Name: "filters" } filters, { } options] &&
        filters.Type == typeof(System.Text.Json.Nodes.JsonArray) && options.Type == typeof(QueryOptions);

    /// <summary>The route of a method (a mirrored one), following the CRUD / Config / method mapping.</summary>
    public static RestRoute RouteOf(MethodDescriptor method)
    {
        var resource = "/" + method.Service.Namespace.Replace('.', '/');
        return (method.Service.Kind, method.ShortName) switch
        {
            (ServiceKind.Crud, "query") => new RestRoute("GET", resource, method, RestRouteKind.Query),
            (ServiceKind.Crud, "create") => new RestRoute("POST", resource, method, RestRouteKind.Create),
            (ServiceKind.Crud, "get_instance") => new RestRoute("GET", resource + "/id/{id}", method, RestRouteKind.GetInstance),
            (ServiceKind.Crud, "update") => new RestRoute("PUT", resource + "/id/{id}", method, RestRouteKind.UpdateInstance),
            (ServiceKind.Crud, "delete") => new RestRoute("DELETE", resource + "/id/{id}", method, RestRouteKind.DeleteInstance),
            (ServiceKind.Config, "config") => new RestRoute("GET", resource, method, RestRouteKind.Config),
            (ServiceKind.Config, "update") => new RestRoute("PUT", resource, method, RestRouteKind.ConfigUpdate),
            _ => new RestRoute(VerbOf(method), $"{resource}/{method.ShortName}", method, RestRouteKind.Method),
        };
    }

    /// <summary>
    /// Finds the route of a request path (after <see cref="Prefix"/>): the path itself, else with the segment after
    /// <c>id</c> taken as the item id.
    /// </summary>
    public RestMatch Match(string verb, string path)
    {
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        if (_routes.TryGetValue(Key(verb, path), out var route))
        {
            return new RestMatch(route, null, null);
        }

        string? id = null;
        var template = path;
        var segments = path.Split('/');
        for (var i = 2; i < segments.Length - 1; i++)
        {
            if (segments[i] == "id")
            {
                id = Uri.UnescapeDataString(segments[i + 1]);
                template = string.Join('/', segments[..i]) + "/id/{id}" +
                           (i + 2 < segments.Length ? "/" + string.Join('/', segments[(i + 2)..]) : "");
                break;
            }
        }

        if (id is not null && _routes.TryGetValue(Key(verb, template), out route))
        {
            return new RestMatch(route, id, null);
        }

        return new RestMatch(null, null,
            _verbsByPath.GetValueOrDefault(path) ?? (id is null ? null : _verbsByPath.GetValueOrDefault(template)));
    }

    /// <summary>GET for a method without arguments or a filterable one, POST otherwise (and for every upload).</summary>
    private static string VerbOf(MethodDescriptor method) =>
        method.Job?.Pipes.HasFlag(Sdk.JobPipes.Input) != true && (method.WireParameters.Count == 0 || IsFilterable(method))
            ? "GET"
            : "POST";

    private static string Key(string verb, string path) => string.Concat(verb, " ", path);
}
