using JobServer.Configuration;
using JobServer.Protocol.WebSockets;

namespace JobServer.Hosting;

/// <summary>Registers the WebSocket <c>Origin</c> check and validates <c>JobServer:AllowedOrigins</c> at start.</summary>
internal static class OriginCheckServiceCollectionExtensions
{
    public static IServiceCollection AddOriginCheck(this IServiceCollection services)
    {
        services.AddOptions<JobServerOptions>()
            .Validate(o => OriginCheck.AreValid(o.AllowedOrigins),
                "JobServer:AllowedOrigins holds an entry that is not an origin: write scheme, host and optional " +
                "port, such as https://nas.example.com:8443 (http or https, no path)")
            .ValidateOnStart();
        services.AddSingleton<OriginCheck>();
        return services;
    }
}
