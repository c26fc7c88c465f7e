using Microsoft.EntityFrameworkCore;

namespace JobServer.Storage;

/// <summary>Brings the database to the current schema and turns on write-ahead logging, once at start.</summary>
internal static class DatabaseInitializer
{
    public static async Task MigrateAsync(IDbContextFactory<JobServerDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets readers proceed while the writer commits; it is persistent in the file once set.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
