using JobServer.Auth;
using JobServer.Cluster;
using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Settings;
using JobServer.Storage;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Hosting;

/// <summary>
/// This daemon as a cluster member (<see cref="NodeMembership"/>): active on PostgreSQL, inert on SQLite, where
/// one daemon owns its database.
/// </summary>
internal static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddCluster(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var name = provider.GetRequiredService<IOptions<ClusterOptions>>().Value.NodeName;
            var instance = provider.GetRequiredService<JobServerDatabase>().IsPostgreSql
                ? NodeInstance.ReadOrCreate(provider.GetRequiredService<IOptions<JobServerOptions>>().Value.DataPath())
                : "";
            return new ClusterNode(name, instance);
        });
        services.AddSingleton<IJobAdopter, ManagerJobAdopter>();
        services.AddSingleton(provider => new NodeMembership(
            provider.GetRequiredService<JobServerDatabase>().IsPostgreSql
                ? new PostgresClusterNodes(provider.GetRequiredService<NpgsqlDataSource>(),
                    provider.GetRequiredService<IDbContextFactory<JobStoreDbContext>>())
                : null,
            provider.GetRequiredService<ClusterNode>(),
            provider.GetRequiredService<IOptions<ClusterOptions>>(),
            provider.GetRequiredService<IJobAdopter>(),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<NodeMembership>>()));
        services.AddHostedService(provider => provider.GetRequiredService<NodeMembership>());
        // Events, aborts and waits across the nodes (inert on SQLite).
        services.AddSingleton<IJobPeers>(provider => new PostgresJobPeers(PostgresDataSourceOrNull(provider)));
        services.AddSingleton<PostgresJobChangeFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<PostgresJobChangeFeed>());
        services.AddSingleton<IClusterNotificationHandler>(provider => provider.GetRequiredService<PostgresJobChangeFeed>());
        services.AddSingleton<IClusterNotificationHandler, PeerAbortHandler>();
        services.AddSingleton(provider => new PeerConfigRelay(PostgresDataSourceOrNull(provider),
            provider.GetRequiredService<ClusterNode>(), provider.GetRequiredService<GeneralSettings>(),
            provider.GetRequiredService<GeneralSettingsStore>(), provider.GetRequiredService<VerifiedApiKeys>(),
            provider.GetRequiredService<SignedInSessions>(), provider.GetRequiredService<AccountSessions>(),
            provider.GetRequiredService<IDbContextFactory<JobServerDbContext>>(),
            provider.GetRequiredService<ILogger<PeerConfigRelay>>()));
        services.AddHostedService(provider => provider.GetRequiredService<PeerConfigRelay>());
        services.AddSingleton<IClusterNotificationHandler>(provider => provider.GetRequiredService<PeerConfigRelay>());
        services.AddHostedService<PostgresListener>();
        return services;
    }

    private static NpgsqlDataSource? PostgresDataSourceOrNull(IServiceProvider provider) =>
        provider.GetRequiredService<JobServerDatabase>().IsPostgreSql
            ? provider.GetRequiredService<NpgsqlDataSource>()
            : null;
}
