using System.Text.Json.Nodes;
using JobServer.Sdk.Query;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The jobs table, on SQLite or PostgreSQL: writes through the group-commit <see cref="JobWriter"/> (over the
/// provider's <see cref="IJobBatchSink"/>), reads through EF (<see cref="JobStoreDbContext"/>, with the query
/// engine's push-down), ids from <see cref="IJobIds"/> (a counter seeded at open on SQLite, whose one daemon owns
/// the data directory; blocks of a database sequence on PostgreSQL).
/// </summary>
internal sealed partial class DatabaseJobStore(
    JobWriter writer,
    IDbContextFactory<JobStoreDbContext> reads,
    IJobIds ids,
    ClusterNode node,
    JobServerDatabase database,
    ILogger<DatabaseJobStore> logger) : IJobStore
{
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await using (var db = await reads.CreateDbContextAsync(cancellationToken))
        {
            await DatabaseMigrator.MigrateAsync(db, cancellationToken);
        }

        var lastId = await ids.OpenAsync(cancellationToken);
        LogOpened(logger, lastId);
    }

    public ValueTask<long> NextIdAsync(CancellationToken cancellationToken) => ids.NextAsync(cancellationToken);

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

    /// <remarks>
    /// On SQLite every unfinished job was this daemon's. On PostgreSQL only the rows this node's name wrote: the
    /// jobs of other nodes are theirs while they live, and the takeover's of whichever node declares them gone
    /// (<c>Cluster/NodeMembership</c>) — a node starting never fails the running jobs of a live one.
    /// </remarks>
    public async Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        var unfinished = db.Jobs.AsNoTracking().Where(j => j.State == "RUNNING" || j.State == "WAITING");
        if (database.IsPostgreSql)
        {
            unfinished = unfinished.Where(j => EF.Property<string>(j, PostgresJobSink.NodeColumn) == node.Name);
        }

        return await unfinished.OrderBy(j => j.Id).ToListAsync(cancellationToken);
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
