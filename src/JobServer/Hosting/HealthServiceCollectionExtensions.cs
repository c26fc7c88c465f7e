using JobServer.Observability.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace JobServer.Hosting;

/// <summary>
/// <c>/healthz</c> (liveness: the process answers HTTP) and <c>/readyz</c> (readiness: the database takes writes,
/// the job writer commits, migrations are applied, no stop under way) through ASP.NET Core health checks.
/// Both are anonymous and their bodies carry only statuses and fixed sentences.
/// </summary>
internal static class HealthServiceCollectionExtensions
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section)
            .Validate(o => o.IsValid,
                "JobServer:Health settings are out of range (WriterTimeoutSeconds above 0, ReuseMilliseconds not negative)")
            .ValidateOnStart();
        // Singletons, so a probe's answer is reused across requests (ReusedHealthCheck).
        services.AddSingleton<DatabaseWritableCheck>();
        services.AddSingleton<JobWriterCheck>();
        services.AddSingleton<MigrationsCheck>();
        services.AddSingleton<StoppingCheck>();
        services.AddHealthChecks()
            .AddCheck<StoppingCheck>(StoppingCheck.Name, tags: [ReadyTag])
            .AddCheck<MigrationsCheck>(MigrationsCheck.Name, tags: [ReadyTag])
            .AddCheck<DatabaseWritableCheck>(DatabaseWritableCheck.Name, tags: [ReadyTag])
            .AddCheck<JobWriterCheck>(JobWriterCheck.Name, tags: [ReadyTag]);
        return services;
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false, // Alive is answering at all; dependencies belong to readiness.
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
    }
}
