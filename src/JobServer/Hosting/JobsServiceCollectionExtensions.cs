using JobServer.Calls;
using JobServer.Cluster;
using JobServer.Configuration;
using JobServer.Events;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using JobServer.Services.Exec;
using Microsoft.EntityFrameworkCore;
using JobServer.Storage.Providers;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Hosting;

/// <summary>
/// Registers and starts the job engine: the manager over its four seams (the store with its writer on SQLite or PostgreSQL, the
/// in-memory scheduler, the in-process runner, the local event bus), the tasks it owns, retention, and the
/// <c>core.get_jobs</c> events.
/// </summary>
internal static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section)
            .Validate(o => o.MaxRunning >= 0 && o.AbortGraceSeconds >= 0 && o.RetentionCount >= 1 &&
                           o.RetentionDays >= 0 && o.MaxBatch >= 1 && o.Synchronous is "FULL" or "NORMAL" &&
                           o.MaxUnfinishedJobsPerUser >= 0 && o.MaxBulkItems >= 1 && o.WriterQueueCapacity >= 1 &&
                           o.WriteRetries >= 0 && o.WriteRetryDelayMilliseconds >= 0,
                "JobServer:Jobs settings are out of range (Synchronous must be FULL or NORMAL)")
            .ValidateOnStart();
        services.AddOptions<ExecOptions>().BindConfiguration(ExecOptions.Section);
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<ChildRecords>();
        services.AddSingleton<ChildSpawner>();
        services.AddSingleton<LeftoverChildReaper>();
        services.AddJobServerDbContext<JobStoreDbContext>(JobStoreDbContext.MigrationsHistoryTable);
        services.AddSingleton(provider => new JobWriter(JobSinks(provider),
            provider.GetRequiredService<IOptions<JobsOptions>>(), provider.GetRequiredService<ILogger<JobWriter>>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<JobMetrics>()));
        services.AddSingleton<IJobIds>(provider => provider.GetRequiredService<JobServerDatabase>().IsPostgreSql
            ? new PostgresJobIds(provider.GetRequiredService<NpgsqlDataSource>(),
                provider.GetRequiredService<ILogger<PostgresJobIds>>())
            : new SqliteJobIds(provider.GetRequiredService<IDbContextFactory<JobStoreDbContext>>()));
        services.AddCluster();
        services.AddSingleton<DatabaseJobStore>();
        services.AddSingleton<IJobStore>(provider => provider.GetRequiredService<DatabaseJobStore>());
        services.AddSingleton<IJobScheduler, InMemoryJobScheduler>();
        services.AddSingleton<InProcessJobRunner>();
        services.AddSingleton(provider => new JobRunners(provider.GetRequiredService<InProcessJobRunner>(),
            provider.GetService<Workers.ProcessJobRunner>()));
        services.AddSingleton<JobChangeSignals>();
        services.AddSingleton<IJobEventBus, LocalJobEventBus>();
        // Registered before anything that stops jobs, so it stops (and awaits the job tasks) after them.
        services.AddSingleton<JobTasks>();
        services.AddHostedService(provider => provider.GetRequiredService<JobTasks>());
        services.AddSingleton<JobManager>();
        services.AddSingleton<IJobAwaiter>(provider => provider.GetRequiredService<JobManager>());
        services.AddHostedService<JobRetention>();
        return services;
    }

    /// <summary>
    /// Opens the job store (migrates the jobs table, seeds the ids), kills what a previous daemon's children left, rebuilds the queue, and declares the
    /// <c>core.get_jobs</c> events.
    /// </summary>
    public static async Task StartJobsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IJobStore>().OpenAsync(cancellationToken);
        // On PostgreSQL: a new epoch for this node before recovery reads (and writes) its unfinished jobs.
        await services.GetRequiredService<NodeMembership>().JoinAsync(cancellationToken);

        services.GetRequiredService<EventHub>().Register(new EventDescriptor(
            JobManager.Collection,
            "Jobs: added when created, changed on every state and progress change (the full job each time)",
            caller => caller.IsAuthenticated,
            (caller, e) => JobCaller.MaySee(caller, JobDocument.OwnerOf(e))));
        // Before recovery releases the locks of jobs that were running: their processes must be gone first.
        await services.GetRequiredService<LeftoverChildReaper>().KillLeftoversAsync();
        await services.GetRequiredService<JobManager>()
            .RecoverAsync(services.GetRequiredService<MethodRegistry>(), cancellationToken);
    }

    /// <summary>Opens a session of the job writer on the chosen database.</summary>
    private static Func<IJobBatchSink> JobSinks(IServiceProvider provider)
    {
        var database = provider.GetRequiredService<JobServerDatabase>();
        var synchronous = provider.GetRequiredService<IOptions<JobsOptions>>().Value.Synchronous;
        if (!database.IsPostgreSql)
        {
            return JobWriter.SqliteSinks(database.ConnectionString, synchronous);
        }

        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();
        var node = provider.GetRequiredService<ClusterNode>();
        return () => PostgresJobSink.Open(dataSource, node, synchronous);
    }
}
