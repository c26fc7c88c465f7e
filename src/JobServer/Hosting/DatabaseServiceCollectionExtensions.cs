using JobServer.Configuration;
using JobServer.Storage.Providers;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Hosting;

/// <summary>
/// The database choice (<see cref="JobServerDatabase"/>: SQLite in the data directory, or PostgreSQL when
/// <c>ConnectionStrings:JobServer</c> is set) and this node's name (<see cref="ClusterOptions"/>).
/// </summary>
internal static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(provider => JobServerDatabase.From(configuration,
            provider.GetRequiredService<IOptions<JobServerOptions>>().Value.DataPath("jobserver.db")));
        // Used only when PostgreSQL is selected (the job writer's sessions and ids); disposed with the daemon.
        services.AddSingleton(provider =>
            NpgsqlDataSource.Create(provider.GetRequiredService<JobServerDatabase>().ConnectionString));
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section)
            .PostConfigure(o => o.NodeName = ClusterOptions.NodeNameOrDefault(o.NodeName,
                string.IsNullOrWhiteSpace(configuration["urls"]) ? JobServerHost.DefaultUrl : configuration["urls"]!))
            .Validate(o => o.NodeName.Length <= ClusterOptions.MaxNodeNameLength,
                $"JobServer:Cluster:NodeName must be at most {ClusterOptions.MaxNodeNameLength} characters")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.NodeTimeout >= 2 * o.HeartbeatInterval,
                "JobServer:Cluster:HeartbeatInterval must be positive and NodeTimeout at least twice as long")
            .Validate(o => o.ListenerRetryDelay > TimeSpan.Zero, "JobServer:Cluster:ListenerRetryDelay must be positive")
            .ValidateOnStart();
        return services;
    }
}
