using System.Reflection;
using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Rest.Mirror;

namespace JobServer.Rest.OpenApi;

/// <summary>
/// <c>GET /api/v2.0/openapi.json</c>: an OpenAPI 3.1 document of the REST mirror, generated from the route table
/// and the registry's JSON Schemas (draft 2020-12, which OpenAPI 3.1 takes as they are), so it lists every
/// mirrored method — a plugin's too — with its parameters, body, result, errors and the security schemes.
/// Built once at start: the registry does not change while the daemon runs.
/// </summary>
internal sealed class OpenApiDocumentBuilder(RestRouteTable routes, MethodRegistry registry)
{
    private readonly Lazy<byte[]> _json = new(() => System.Text.Encoding.UTF8.GetBytes(Build(routes, registry).ToJsonString()));

    /// <summary>The document as UTF-8 JSON.</summary>
    public byte[] Json => _json.Value;

    public static JsonObject Build(RestRouteTable routes, MethodRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var route in routes.Routes)
        {
            if (paths[route.Path] is not JsonObject item)
            {
                paths[route.Path] = item = [];
            }

            item[route.Verb.ToLowerInvariant()] = OpenApiOperation.Of(route);
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "JobServer REST API",
                ["version"] = Version,
                ["description"] = "The REST mirror of every JobServer service (middlewared's REST API v2.0). Every " +
                                  "route calls the same method as the WebSocket API (/websocket, /api/current); see " +
                                  "/api/docs/websocket for the WebSocket reference.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = RestRouteTable.Prefix }),
            ["security"] = OpenApiComponents.SignedIn(),
            ["tags"] = new JsonArray(registry.Services.Where(s => !s.IsPrivate)
                .Where(s => routes.Routes.Any(r => r.Method.Service == s))
                .OrderBy(s => s.Namespace, StringComparer.Ordinal)
                .Select(s => (JsonNode)new JsonObject
                {
                    ["name"] = s.Namespace,
                    ["description"] = $"{s.Kind} service {s.Namespace}",
                }).ToArray()),
            ["paths"] = paths,
            ["components"] = OpenApiComponents.Build(),
        };
    }

    private static string Version =>
        typeof(OpenApiDocumentBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
            ?.InformationalVersion ?? "0";
}
