using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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

/// <summary>For a context built by hand (the check of an uploaded file, tests): only its provider's migrations.</summary>
internal static class ProviderMigrationsExtensions
{
    public static DbContextOptionsBuilder<TContext> UseProviderMigrations<TContext>(
        this DbContextOptionsBuilder<TContext> builder)
        where TContext : DbContext =>
        builder.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
}
