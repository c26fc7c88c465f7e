using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace JobServer.Storage.Providers;

/// <summary>
/// Brings a context's tables to the current schema at start. On SQLite the daemon owns the file (the data-directory
/// lock) and turns on write-ahead logging; on PostgreSQL several nodes may start together, so each migration set
/// runs under one session-level advisory lock: the first node migrates, the others wait and then find nothing to do.
/// </summary>
internal static class DatabaseMigrator
{
    /// <summary>The advisory lock key every node uses for migrations ("JSMIGRAT" read as a number).</summary>
    public const long MigrationLockKey = 0x4A534D4947524154;

    public static async Task MigrateAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken);
            // WAL lets readers proceed while the writer commits; it is persistent in the file once set.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            return;
        }

        // The database itself must exist (created by the operator, as for Hangfire or graphile-worker): the
        // daemon's role needs no CREATEDB right.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await LockAsync(db, take: true, cancellationToken);
            try
            {
                // Created first: EF would otherwise read the missing history table of a new database and log
                // that failed query as an error before creating it.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await LockAsync(db, take: false, CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Task LockAsync(DbContext db, bool take, CancellationToken cancellationToken) => take
        ? db.Database.SqlQuery<bool>($"SELECT pg_advisory_lock({MigrationLockKey}) IS NOT NULL AS \"Value\"")
            .SingleAsync(cancellationToken)
        : db.Database.SqlQuery<bool>($"SELECT pg_advisory_unlock({MigrationLockKey}) AS \"Value\"")
            .SingleAsync(cancellationToken);
}
