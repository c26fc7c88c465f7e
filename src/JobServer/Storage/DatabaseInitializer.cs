using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Storage;

/// <summary>Brings the daemon's database to the current schema, once at start (<see cref="DatabaseMigrator"/>).</summary>
internal static class DatabaseInitializer
{
    public static async Task MigrateAsync(IDbContextFactory<JobServerDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await DatabaseMigrator.MigrateAsync(db, cancellationToken);
    }
}
