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
        return services;
    }

    /// <summary>One catch-all route: the mirror matches its own table (built from the registry at start).</summary>
    public static void MapRestMirror(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<RestEndpoint>();
        var openApi = app.Services.GetRequiredService<OpenApiDocumentBuilder>();
        // Anonymous, as upstream's: the document says what exists, never who may call it with what data.
        app.MapGet(RestRouteTable.Prefix + "/openapi.json", () => Results.Bytes(openApi.Json, "application/json"));
        app.Map(RestRouteTable.Prefix + "/{**path}", async (HttpContext context, string? path) =>
            await endpoint.HandleAsync(context, path) ?? Results.Empty);
    }
}
