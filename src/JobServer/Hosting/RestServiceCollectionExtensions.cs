using JobServer.Rest.Mirror;
using JobServer.Rest.OpenApi;

namespace JobServer.Hosting;

/// <summary>Registers and maps the REST mirror of the registry at <c>/api/v2.0</c>.</summary>
internal static class RestServiceCollectionExtensions
{
    public static IServiceCollection AddRestMirror(this IServiceCollection services)
    {
        services.AddOptions<RestOptions>().BindConfiguration(RestOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, "JobServer:Rest:MaxBodyBytes must be positive")
            .ValidateOnStart();
        services.AddSingleton<RestRouteTable>();
        services.AddSingleton<RestTransfers>();
        services.AddSingleton<RestEndpoint>();
        services.AddSingleton<OpenApiDocumentBuilder>();
        services.AddSingleton<WebSocketReferencePage>();
        return services;
    }

    private static readonly PathString DocsPath = new("/api/docs");

    /// <summary>One catch-all route: the mirror matches its own table (built from the registry at start).</summary>
    public static void MapRestMirror(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<RestEndpoint>();
        var openApi = app.Services.GetRequiredService<OpenApiDocumentBuilder>();
        // Anonymous, as upstream's: the document says what exists, never who may call it with what data.
        app.MapGet(RestRouteTable.Prefix + "/openapi.json", () => Results.Bytes(openApi.Json, "application/json"));
        MapApiDocs(app);
        // A plain RequestDelegate, not a minimal-API lambda: the mirror binds nothing, and every call would pay
        // for the generated binder and its result wrapper.
        app.Map(RestRouteTable.Prefix + "/{**path}", async context =>
        {
            if (await endpoint.HandleAsync(context, context.Request.RouteValues["path"] as string) is { } answer)
            {
                await answer.ExecuteAsync(context);
            }
        });
    }

    /// <summary>
    /// <c>/api/docs</c>: swagger-ui from Swashbuckle's embedded assets over openapi.json ("try it" calls the
    /// daemon itself), and <c>/api/docs/websocket</c>, the WebSocket reference. Anonymous: documentation only.
    /// </summary>
    private static void MapApiDocs(WebApplication app)
    {
        var websocket = app.Services.GetRequiredService<WebSocketReferencePage>();
        app.MapGet("/api/docs/websocket", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return Results.Bytes(websocket.Html, "text/html; charset=utf-8");
        });
        // Branched on its path: swagger-ui's middleware matches every request against its prefix with a regex,
        // a cost each REST call, upload and WebSocket handshake would pay for pages few of them want.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(DocsPath), docs => docs.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = DocsPath.Value![1..];
            ui.DocumentTitle = "JobServer API";
            ui.SwaggerEndpoint(RestRouteTable.Prefix + "/openapi.json", "REST API v2.0");
        }));
    }
}
