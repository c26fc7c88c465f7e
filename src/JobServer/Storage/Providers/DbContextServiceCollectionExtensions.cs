using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace JobServer.Storage.Providers;

/// <summary>
/// The one line a context needs to live on either database: a pooled factory configured by
/// <see cref="JobServerDatabase"/> (SQLite in the data directory or the configured PostgreSQL server).
/// </summary>
internal static class DbContextServiceCollectionExtensions
{
    public static IServiceCollection AddJobServerDbContext<TContext>(this IServiceCollection services,
        string historyTable = HistoryRepository.DefaultTableName)
        where TContext : DbContext =>
        services.AddPooledDbContextFactory<TContext>((provider, db) =>
            provider.GetRequiredService<JobServerDatabase>().Configure(db, historyTable));
}
