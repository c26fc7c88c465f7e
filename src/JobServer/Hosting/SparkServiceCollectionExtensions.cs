using JobServer.Configuration;
using JobServer.Spark;
using JobServer.Spark.Binaries;
using JobServer.Spark.Callbacks;
using JobServer.Spark.Contexts;
using JobServer.Spark.Http;
using JobServer.Spark.Jobs;
using JobServer.Spark.Storage;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>The spark-jobserver dialect (docs/spark.md): its store, its methods' helpers and its routes.</summary>
internal static class SparkServiceCollectionExtensions
{
    public static IServiceCollection AddSpark(this IServiceCollection services)
    {
        services.AddOptions<SparkOptions>().BindConfiguration(SparkOptions.Section)
            .Validate(o => o.MaxBinaryBytes > 0, "JobServer:Spark:MaxBinaryBytes must be positive")
            .Validate(o => o.MaxConfigBytes > 0, "JobServer:Spark:MaxConfigBytes must be positive")
            .Validate(o => o.MaxZipEntries > 0 && o.MaxZipUncompressedBytes > 0,
                "JobServer:Spark:MaxZipEntries and MaxZipUncompressedBytes must be positive")
            .Validate(o => o.CallbackAttempts > 0, "JobServer:Spark:CallbackAttempts must be positive")
            .Validate(o => o.CallbackBaseDelay > TimeSpan.Zero && o.CallbackAttemptTimeout > TimeSpan.Zero,
                "JobServer:Spark:CallbackBaseDelay and CallbackAttemptTimeout must be positive")
            .Validate(o => o.MaxContexts > 0 && o.ContextMaxQueuedJobs >= 0 && o.ContextStopWait >= TimeSpan.Zero,
                "JobServer:Spark:MaxContexts must be positive, ContextMaxQueuedJobs and ContextStopWait not negative")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SparkOptions>, SparkServerJobConfigValidation>();
        services.AddSingleton<SparkServerJobConfig>();
        // Its own migration history on the daemon's database. On SQLite also its own file, so the Spark tables
        // never share a lock with the accounts or the jobs; on PostgreSQL they sit beside them (docs/cluster.md).
        services.AddPooledDbContextFactory<SparkDbContext>((provider, db) =>
        {
            var database = provider.GetRequiredService<JobServerDatabase>();
            var sparkDatabase = database.IsPostgreSql
                ? database
                : JobServerDatabase.Sqlite(provider.GetRequiredService<IOptions<JobServerOptions>>().Value.DataPath("spark.db"));
            sparkDatabase.Configure(db, SparkDbContext.MigrationsHistoryTable);
        });
        services.AddSingleton<SparkBinaryStore>();
        services.AddSingleton<SparkCallbackGuard>();
        services.AddSingleton<SparkCallbackOutbox>();
        services.AddSingleton<SparkCallbackHttp>();
        services.AddSingleton<SparkCallbackSender>();
        services.AddHostedService(provider => provider.GetRequiredService<SparkCallbackSender>());
        services.AddSingleton<SparkContexts>();
        services.AddHostedService(provider => provider.GetRequiredService<SparkContexts>());
        services.AddSingleton<Workers.IWorkerPlacement, SparkContextPlacement>();
        services.AddSingleton<SparkDoor>();
        services.AddSingleton<SparkBinariesEndpoint>();
        services.AddSingleton<SparkJobsEndpoint>();
        services.AddSingleton<SparkContextsEndpoint>();
        return services;
    }

    /// <summary>Brings the Spark tables to the current schema, once at start.</summary>
    public static async Task MigrateSparkAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SparkDbContext>>()
            .CreateDbContextAsync(cancellationToken);
        await DatabaseMigrator.MigrateAsync(db, cancellationToken);
        Directory.CreateDirectory(services.GetRequiredService<IOptions<JobServerOptions>>().Value.DataPath("spark", "binaries"));
        services.GetRequiredService<SparkBinaryStore>().RemoveLeftovers();
    }

    public static void MapSpark(this WebApplication app)
    {
        var binaries = app.Services.GetRequiredService<SparkBinariesEndpoint>();
        app.Map("/binaries", (Delegate)binaries.ListAsync);
        app.Map("/binaries/{name}", (HttpContext context, string name) => binaries.HandleAsync(context, name));
        var jobs = app.Services.GetRequiredService<SparkJobsEndpoint>();
        app.Map("/jobs", (Delegate)jobs.CollectionAsync);
        app.Map("/jobs/{id}", (HttpContext context, string id) => jobs.JobAsync(context, id));
        app.Map("/jobs/{id}/config", (HttpContext context, string id) => jobs.ConfigAsync(context, id));
        var contexts = app.Services.GetRequiredService<SparkContextsEndpoint>();
        app.Map("/contexts", (Delegate)contexts.CollectionAsync);
        app.Map("/contexts/{name}", (HttpContext context, string name) => contexts.ContextAsync(context, name));
    }
}
