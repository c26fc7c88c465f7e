using Microsoft.EntityFrameworkCore;

namespace JobServer.Jobs.Storage;

/// <summary>
/// SQLite's ids: an in-memory counter seeded at open. One daemon owns the data directory (<c>DataDirectoryLock</c>),
/// so no other writer can take an id behind its back, and an id costs no round trip.
/// </summary>
internal sealed class SqliteJobIds(IDbContextFactory<JobStoreDbContext> reads) : IJobIds
{
    private long _lastId = -1;

    public async Task<long> OpenAsync(CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        // sqlite_sequence remembers the highest id ever inserted (the table is AUTOINCREMENT), also after
        // retention deleted it; MAX(Id) covers a table whose sequence row was lost (a copied database).
        var sequence = await db.Database
            .SqlQueryRaw<long>("SELECT COALESCE(MAX(seq), 0) AS Value FROM sqlite_sequence WHERE name = 'jobs'")
            .SingleAsync(cancellationToken);
        var highestRow = await db.Jobs.Select(j => (long?)j.Id).MaxAsync(cancellationToken) ?? 0;
        var lastId = Math.Max(sequence, highestRow);
        Volatile.Write(ref _lastId, lastId);
        return lastId;
    }

    public ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastId) < 0)
        {
            throw new InvalidOperationException("The job store is not open yet");
        }

        return ValueTask.FromResult(Interlocked.Increment(ref _lastId));
    }
}
