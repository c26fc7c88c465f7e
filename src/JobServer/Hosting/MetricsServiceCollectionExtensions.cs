using JobServer.Calls;
using JobServer.Configuration;
using JobServer.Observability.Metrics;
using JobServer.Protocol.WebSockets;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace JobServer.Hosting;

/// <summary>
/// <c>/metrics</c> in Prometheus text format through OpenTelemetry: the daemon's own meter (jobs, writer,
/// WebSockets, transfers; see <see cref="DaemonMeter"/>) and ASP.NET Core's (HTTP requests, Kestrel connections).
/// The instruments always exist; the exporter is configuration (<c>JobServer:Metrics:Enabled</c>, default on),
/// behind <see cref="MetricsAccess"/>.
/// </summary>
internal static class MetricsServiceCollectionExtensions
{
    public const string Path = "/metrics";

    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.TryParseAllowed(out _),
                "JobServer:Metrics:AllowedAddresses entries must be addresses (10.0.0.5) or networks (10.0.0.0/8)")
            .ValidateOnStart();
        services.AddSingleton<WebSocketMetrics>();
        services.AddSingleton<MetricsAccess>();
        if (IsEnabled(configuration))
        {
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("jobserver", serviceVersion: DaemonVersion.Current))
                .WithMetrics(metrics => metrics
                    .AddMeter(DaemonMeter.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddPrometheusExporter());
        }

        return services;
    }

    public static void MapPrometheusMetrics(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }

        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(OnlyReads).Use(access.InvokeAsync), optionsName: null)
            .DisableHttpMetrics(); // A scrape every few seconds would drown the requests worth counting.
    }

    /// <summary>The exporter maps its path for every verb; a scrape is a GET (or HEAD), anything else 405.</summary>
    private static Task OnlyReads(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, HEAD";
        return Task.CompletedTask;
    }

    private static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue($"{MetricsOptions.Section}:Enabled", defaultValue: true);
}
