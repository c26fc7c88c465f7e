using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Configuration;
using JobServer.Events;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Services;

/// <summary>
/// <c>core.*</c>: liveness and introspection. The registry is handed in lazily because this service is itself
/// part of it.
/// </summary>
internal sealed class CoreService(Lazy<MethodRegistry> registry, EventHub events) : Service
{
    [NoAuth]
    [Description("Answers \"pong\"; works before authentication.")]
    public string Ping() => "pong";

    /// <remarks>
    /// No sign-in needed, like <c>core.ping</c>: a client picks its dialect and login mechanism before it signs in,
    /// and the version is no secret (<c>GET /</c>, <c>--version</c>, the image tag say it too). Rate-limited for
    /// anonymous callers like every no-auth method.
    /// </remarks>
    [NoAuth]
    [Description("The daemon's version (its assembly's informational version, e.g. \"1.0.0+3f2c1a9\").")]
    public string Version() => DaemonVersion.Current;

    [Roles(Role.Authenticated)]
    [Description("Every public service with its type (service, config or crud) and configuration.")]
    public JsonObject GetServices()
    {
        var result = new JsonObject();
        foreach (var service in registry.Value.Services.Where(s => !s.IsPrivate).OrderBy(s => s.Namespace))
        {
            result[service.Namespace] = new JsonObject
            {
                ["config"] = new JsonObject
                {
                    ["namespace"] = service.Namespace,
                    ["private"] = false,
                    ["verbose_name"] = service.Type.Name.EndsWith("Service", StringComparison.Ordinal)
                        ? service.Type.Name[..^"Service".Length]
                        : service.Type.Name,
                },
                ["type"] = service.Kind.ToString().ToLowerInvariant(),
            };
        }

        return result;
    }

    [Roles(Role.Authenticated)]
    [Description("The methods the caller may call, with their JSON Schemas; optionally of one service.")]
    public JsonObject GetMethods(ICallContext caller, string? service = null)
    {
        var result = new JsonObject();
        foreach (var method in registry.Value.Methods
                     .Where(m => !m.IsPrivate && m.Access.Allows(caller))
                     .Where(m => service is null || m.Service.Namespace == service)
                     .OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            result[method.Name] = Describe(method);
        }

        return result;
    }

    [Roles(Role.Authenticated)]
    [Description("The event collections the caller may subscribe to.")]
    public JsonObject GetEvents(ICallContext caller)
    {
        var result = new JsonObject();
        foreach (var descriptor in events.Events)
        {
            if (!descriptor.CanSubscribe(caller))
            {
                continue;
            }

            result[descriptor.Name] = new JsonObject
            {
                ["description"] = descriptor.Description,
                ["private"] = false,
                ["wildcard_subscription"] = true,
            };
        }

        return result;
    }

    private static JsonObject Describe(MethodDescriptor method)
    {
        var pipes = method.Job?.Pipes ?? JobPipes.None;
        return new JsonObject
        {
            ["description"] = method.Description,
            ["examples"] = new JsonObject(),
            ["no_auth_required"] = method.Access.NoAuth,
            ["filterable"] = method.ShortName == "query" && method.Service.Kind == ServiceKind.Crud,
            ["job"] = method.IsJob,
            ["downloadable"] = pipes.HasFlag(JobPipes.Output),
            ["uploadable"] = pipes.HasFlag(JobPipes.Input),
            ["roles"] = new JsonArray(method.Access.Roles.Select(r => (JsonNode?)r).ToArray()),
            ["accepts"] = method.Accepts.DeepClone(),
            ["returns"] = method.Returns.DeepClone(),
        };
    }
}
