using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using JobServer.Registry;

namespace JobServer.Rest.OpenApi;

/// <summary>
/// <c>GET /api/docs/websocket</c>: the WebSocket API's reference — every public method as <c>core.get_methods</c>
/// describes it (access, parameters with their JSON Schemas and defaults, result), each with a JSON-RPC and a DDP
/// example call. Plain HTML with no script, built once from the registry.
/// </summary>
internal sealed class WebSocketReferencePage(MethodRegistry registry)
{
    private readonly Lazy<byte[]> _html = new(() => Encoding.UTF8.GetBytes(Render(registry)));

    public byte[] Html => _html.Value;

    private static string Render(MethodRegistry registry)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>JobServer WebSocket API</title>
            <style>body{font-family:sans-serif;max-width:70em;margin:auto;padding:1em}code,pre{background:#f4f4f4}
            pre{padding:.5em;overflow-x:auto}section{border-top:1px solid #ccc;margin-top:1em}
            .meta{color:#555}</style></head><body>
            <h1>JobServer WebSocket API</h1>
            <p>Connect to <code>/api/current</code> (JSON-RPC 2.0) or <code>/websocket</code> (DDP), sign in with
            <code>auth.login</code>, then call any method below. The same methods, bar the session-only ones, are
            mirrored over REST: see <a href="/api/docs">the REST reference</a>.</p>
            <nav><ul>
            """);
        var methods = registry.Methods.Where(m => !m.IsPrivate && !m.Service.IsPrivate)
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        foreach (var service in methods.GroupBy(m => m.Service.Namespace))
        {
            html.Append("<li><a href=\"#").Append(Encode(service.Key)).Append("\">").Append(Encode(service.Key))
                .Append("</a></li>");
        }

        html.Append("</ul></nav>");
        foreach (var service in methods.GroupBy(m => m.Service.Namespace))
        {
            html.Append("<h2 id=\"").Append(Encode(service.Key)).Append("\">").Append(Encode(service.Key)).Append("</h2>");
            foreach (var method in service)
            {
                AppendMethod(html, method);
            }
        }

        return html.Append("</body></html>").ToString();
    }

    private static void AppendMethod(StringBuilder html, MethodDescriptor method)
    {
        html.Append("<section id=\"").Append(Encode(method.Name)).Append("\"><h3>").Append(Encode(method.Name)).Append("</h3>");
        if (method.Description is { } description)
        {
            html.Append("<p>").Append(Encode(description)).Append("</p>");
        }

        var access = method.Access.NoAuth ? "no sign-in" : string.Join(" or ", method.Access.Roles);
        html.Append("<p class=\"meta\">Access: ").Append(Encode(access));
        if (method.IsJob)
        {
            html.Append(" · a job (answers its id; JSON-RPC with legacy_jobs off answers its result)");
        }

        if (method.NeedsLiveSession)
        {
            html.Append(" · acts on its connection: WebSocket only");
        }

        html.Append("</p><h4>Parameters</h4>");
        var items = method.Accepts["prefixItems"] as JsonArray ?? [];
        if (items.Count == 0)
        {
            html.Append("<p>None.</p>");
        }
        else
        {
            html.Append("<ol>");
            foreach (var item in items)
            {
                html.Append("<li><code>").Append(Encode(item?["title"]?.GetValue<string>() ?? "?")).Append("</code>")
                    .Append(item is JsonObject o && o.ContainsKey("default") ? " (optional)" : "")
                    .Append("<pre>").Append(Encode(item?.ToJsonString() ?? "{}")).Append("</pre></li>");
            }

            html.Append("</ol>");
        }

        html.Append("<h4>Result</h4><pre>").Append(Encode(method.Returns.ToJsonString())).Append("</pre>");
        var example = SchemaExample.Parameters(method.Accepts).ToJsonString();
        html.Append("<h4>Example</h4><pre>")
            .Append(Encode($$"""{"jsonrpc": "2.0", "id": 1, "method": "{{method.Name}}", "params": {{example}}}"""))
            .Append("</pre><pre>")
            .Append(Encode($$"""{"msg": "method", "id": "1", "method": "{{method.Name}}", "params": {{example}}}"""))
            .Append("</pre></section>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
