using System.Text.Json.Nodes;
using JobServer.Sdk.Query;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The jobs table in the daemon's SQLite file: writes through the group-commit <see cref="JobWriter"/>, reads
/// through EF (<see cref="JobStoreDbContext"/>, with the query engine's push-down). Ids come from an in-memory
/// counter seeded at open: one daemon owns the data directory (<c>DataDirectoryLock</c>), so no other writer can
/// take an id behind its back.
/// </summary>
internal sealed partial class SqliteJobStore(
    JobWriter writer,
    IDbContextFactory<JobStoreDbContext> reads,
    ILogger<SqliteJobStore> logger) : IJobStore
{
    private long _lastId = -1;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        // sqlite_sequence remembers the highest id ever inserted (the table is AUTOINCREMENT), also after
        // retention deleted it; MAX(Id) covers a table whose sequence row was lost (a copied database).
        var sequence = await db.Database
            .SqlQueryRaw<long>("SELECT COALESCE(MAX(seq), 0) AS Value FROM sqlite_sequence WHERE name = 'jobs'")
            .SingleAsync(cancellationToken);
        var highestRow = await db.Jobs.Select(j => (long?)j.Id).MaxAsync(cancellationToken) ?? 0;
        var lastId = Math.Max(sequence, highestRow);
        Volatile.Write(ref _lastId, lastId);
        LogOpened(logger, lastId);
    }

    public ValueTask<long> NextIdAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastId) < 0)
        {
            throw new InvalidOperationException("The job store is not open yet");
        }

        return ValueTask.FromResult(Interlocked.Increment(ref _lastId));
    }

    public Task SaveAsync(JobRecord record, Action? afterCommit = null) => writer.SaveAsync(record, afterCommit);

    public void Save(JobRecord record, Action? afterCommit) => writer.Save(record, afterCommit);

    public async Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
    }

    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AnyAsync(j => j.Id == id, cancellationToken);
    }

    public async Task<JsonNode?> QueryAsync(JsonArray? filters, QueryOptions? options, bool allOwners,
        string? owner, CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        IQueryable<JobRecord> jobs = db.Jobs.AsNoTracking().Where(j => !j.Transient).OrderBy(j => j.Id);
        if (!allOwners)
        {
            jobs = jobs.Where(j => j.Username == owner);
        }

        return QueryableFilter.Translate(jobs, filters, options).Execute(JobDocument.FromRecord);
    }

    public async Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking()
            .Where(j => j.State == "RUNNING" || j.State == "WAITING")
            .OrderBy(j => j.Id)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ExpiredJob>> ListExpiredAsync(DateTimeOffset finishedBefore, int keepNewest,
        CancellationToken cancellationToken)
    {
        var cutoff = finishedBefore.UtcDateTime;
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        var keepFrom = await db.Jobs.OrderByDescending(j => j.Id).Skip(keepNewest - 1)
            .Select(j => (long?)j.Id).FirstOrDefaultAsync(cancellationToken);
        if (keepFrom is null)
        {
            return []; // Fewer jobs than the count to keep.
        }

        return await db.Jobs.AsNoTracking()
            .Where(j => j.Id < keepFrom && j.TimeFinished != null && j.TimeFinished < cutoff)
            .OrderBy(j => j.Id)
            .Select(j => new ExpiredJob(j.Id, j.LogsPath))
            .ToListAsync(cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyList<long> ids) => writer.DeleteAsync(ids);

    public Task FlushAsync() => writer.FlushAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Job store opened; next job id after {LastId}")]
    private static partial void LogOpened(ILogger logger, long lastId);
}
