using System.Text.Json.Nodes;
using JobServer.Spark.Storage;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Spark.Callbacks;

/// <summary>The callback outbox (<see cref="SparkCallbackRecord"/>): each change is its own committed write.</summary>
internal sealed class SparkCallbackOutbox(IDbContextFactory<SparkDbContext> databases)
{
    public async Task AddAsync(long jobId, string url, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.Callbacks.Add(new SparkCallbackRecord { JobId = jobId, Url = url });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<SparkCallbackRecord?> FindAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Callbacks.AsNoTracking().FirstOrDefaultAsync(c => c.JobId == jobId, cancellationToken);
    }

    /// <summary>The callbacks still to send (after a restart).</summary>
    public async Task<List<SparkCallbackRecord>> ListPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Callbacks.AsNoTracking().Where(c => !c.Done).OrderBy(c => c.JobId).ToListAsync(cancellationToken);
    }

    /// <summary>Records one attempt's end: delivered, or its error (and whether the budget is now spent).</summary>
    public async Task RecordAttemptAsync(long jobId, string? error, bool done, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var error512 = error is { Length: > SparkCallbackRecordLimits.MaxErrorLength } ? error[..SparkCallbackRecordLimits.MaxErrorLength] : error;
        await db.Callbacks.Where(c => c.JobId == jobId).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.Attempts, c => c.Attempts + 1)
            .SetProperty(c => c.Delivered, error == null)
            .SetProperty(c => c.LastError, error512)
            .SetProperty(c => c.Done, done || error == null), cancellationToken);
    }

    /// <summary>Nothing is sent for this job (it was killed).</summary>
    public async Task CloseAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Callbacks.Where(c => c.JobId == jobId)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Done, true), cancellationToken);
    }

    /// <summary>What a job's report shows: <c>{url, attempts, delivered | lastError}</c>.</summary>
    public static JsonObject Describe(SparkCallbackRecord callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var shown = new JsonObject { ["url"] = callback.Url, ["attempts"] = callback.Attempts, ["delivered"] = callback.Delivered };
        if (!callback.Delivered && callback.LastError is { } error)
        {
            shown["lastError"] = error;
        }

        return shown;
    }
}
