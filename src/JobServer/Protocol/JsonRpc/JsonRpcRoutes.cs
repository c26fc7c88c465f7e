namespace JobServer.Protocol.JsonRpc;

/// <summary>The JSON-RPC endpoints: one WebSocket per API version plus <c>/api/current</c>, and the version list.</summary>
internal static class JsonRpcRoutes
{
    /// <summary>
    /// The API versions served. Like middlewared's <c>GET /api/versions</c>, the list names versions only;
    /// <c>current</c> is an alias of the newest, not a version of its own.
    /// </summary>
    public static readonly IReadOnlyList<string> Versions = ["v1"];

    public static void MapJsonRpc(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<JsonRpcEndpoint>();
        // Map, not MapGet: HTTP/2 WebSockets arrive as CONNECT requests.
        app.Map("/api/current", endpoint.HandleAsync);
        foreach (var version in Versions)
        {
            app.Map($"/api/{version}", endpoint.HandleAsync);
        }

        app.MapGet("/api/versions", () => Results.Json(Versions));
    }
}
