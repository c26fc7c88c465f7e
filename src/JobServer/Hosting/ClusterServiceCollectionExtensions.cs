using JobServer.Cluster;
using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
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
        services.AddSingleton<IJobPeers>(provider => new PostgresJobPeers(
            provider.GetRequiredService<JobServerDatabase>().IsPostgreSql
                ? provider.GetRequiredService<NpgsqlDataSource>()
                : null));
        services.AddHostedService<PostgresJobChangeFeed>();
        return services;
    }
}
