using JobServer.Rest.Mirror;

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
        return services;
    }

    /// <summary>One catch-all route: the mirror matches its own table (built from the registry at start).</summary>
    public static void MapRestMirror(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<RestEndpoint>();
        app.Map(RestRouteTable.Prefix + "/{**path}", async (HttpContext context, string? path) =>
            await endpoint.HandleAsync(context, path) ?? Results.Empty);
    }
}
