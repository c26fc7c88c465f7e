using JobServer.Jobs;
using JobServer.Batch;
using JobServer.Configuration;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>
/// Registers, opens and maps the batch jobs of issue 16: their own database (<c>batch.db</c>, own migrations), the
/// job changer and its queries, and the routes under <c>/batch</c> (and without the prefix on the listeners of
/// <c>JobServer:Batch:Urls</c>).
/// </summary>
internal static class BatchServiceCollectionExtensions
{
    public static IServiceCollection AddBatch(this IServiceCollection services)
    {
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section)
            .Validate(o => o.IsValid, "JobServer:Batch settings are out of range").ValidateOnStart();
        // Its own migration history on the daemon's database. On SQLite also its own file (batch.db), so a fan-out's
        // task writes never share a lock with the job store; on PostgreSQL the tables sit in the shared database,
        // so a batch.run taken over by another node finds its batch job (docs/cluster.md).
        services.AddPooledDbContextFactory<BatchDbContext>((provider, db) =>
        {
            var database = provider.GetRequiredService<JobServerDatabase>();
            var batchDatabase = database.IsPostgreSql
                ? database
                : JobServerDatabase.Sqlite(provider.GetRequiredService<IOptions<JobServerOptions>>().Value.DataPath("batch.db"));
            batchDatabase.Configure(db, BatchDbContext.MigrationsHistoryTable);
        });
        services.AddSingleton<BatchJobWatchers>();
        services.AddSingleton<BatchPublisher>();
        services.AddSingleton<BatchWriter>();
        services.AddSingleton<IBatchWriteQueue>(provider => provider.GetRequiredService<BatchWriter>());
        services.AddSingleton<BatchLedger>();
        services.AddSingleton<BatchJobs>();
        services.AddSingleton<BatchJobQueries>();
        services.AddSingleton<BatchRoutes>();
        services.AddSingleton<BatchJobSocket>();
        services.AddSingleton<BatchAgents>();
        services.AddSingleton<BatchAgentTasks>();
        services.AddSingleton<BatchDelivery>();
        services.AddSingleton<BatchJobRun>();
        services.AddSingleton(provider => new Lazy<JobManager>(provider.GetRequiredService<JobManager>));
        return services;
    }

    /// <summary>
    /// Migrates the batch database. Unfinished batch jobs are taken back in by their own <c>batch.run</c> jobs as
    /// these run again (<see cref="BatchJobs.TakeInAsync"/>), so on a shared database a node drives only its own.
    /// </summary>
    public static async Task StartBatchAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var databases = services.GetRequiredService<IDbContextFactory<BatchDbContext>>();
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            // SQLite: WAL, so a commit is one append and fsync and readers do not wait for the writer (synchronous
            // stays FULL: a commit is durable on power loss). PostgreSQL: under the nodes' migration lock.
            await DatabaseMigrator.MigrateAsync(db, cancellationToken);
        }

        // Made now, not at the first agent call: it listens for new tasks from the start.
        services.GetRequiredService<BatchDelivery>();
    }

    /// <summary>
    /// Adds the listeners of <c>JobServer:Batch:Urls</c> to the daemon's URLs (as the Unix socket does: an endpoint
    /// set in code would make Kestrel ignore <c>--urls</c>).
    /// </summary>
    public static void AddBatchListeners(this WebApplicationBuilder builder, string defaultUrl)
    {
        var batchUrls = BatchUrls(builder.Configuration);
        if (batchUrls.Length == 0)
        {
            return;
        }

        var urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : defaultUrl;
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), .. batchUrls]);
    }

    /// <summary>
    /// The routes under <c>/batch</c>, and on the <c>JobServer:Batch:Urls</c> listeners also without the prefix, so
    /// a client written for the seed's literal <c>/jobs</c> paths works unchanged (only there: on the main
    /// listener <c>/jobs</c> may belong to another dialect).
    /// </summary>
    public static void MapBatch(this WebApplication app)
    {
        MapRoutes(app.MapGroup("/batch"), app.Services);
        var ports = BatchUrls(app.Configuration).Select(url => $"*:{new Uri(url).Port}").ToArray();
        if (ports.Length > 0)
        {
            MapRoutes(app.MapGroup("").RequireHost(ports), app.Services);
        }
    }

    private static string[] BatchUrls(IConfiguration configuration) =>
        (configuration[$"{BatchOptions.Section}:Urls"] ?? "").Split(';',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void MapRoutes(IEndpointRouteBuilder group, IServiceProvider services)
    {
        var routes = services.GetRequiredService<BatchRoutes>();
        var socket = services.GetRequiredService<BatchJobSocket>();
        group.MapPost("/jobs", (Delegate)routes.CreateAsync);
        group.MapGet("/jobs", (Delegate)routes.QueryAsync);
        group.MapGet("/jobs/{id}", routes.GetAsync);
        group.MapDelete("/jobs/{id}", routes.CancelAsync);
        group.MapGet("/tasks/{id}", routes.GetTaskAsync);
        group.MapGet("/agents", (Delegate)routes.AgentsAsync);
        // Map, not MapGet: HTTP/2 WebSockets arrive as CONNECT requests.
        group.Map("/jobs/{id}/ws", socket.HandleAsync);
    }
}
