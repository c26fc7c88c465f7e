using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Batch;

/// <summary>
/// Reads batch jobs and tasks from the database (the truth, also after a restart). A job the caller may not see
/// reads as one that does not exist, so ids of other users' jobs reveal nothing.
/// </summary>
internal sealed class BatchJobQueries(IDbContextFactory<BatchDbContext> databases)
{
    /// <summary>The job object; with <paramref name="embed"/> its tasks are embedded in <c>collection</c>.</summary>
    public async Task<JsonObject> GetAsync(Caller caller, long id, bool embed, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null || !BatchJobAccess.MaySee(caller, job))
        {
            throw new InstanceNotFoundException($"Batch job {id} does not exist");
        }

        var tasks = await db.Tasks.AsNoTracking().Where(t => t.JobId == id).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return BatchJobView.Job(job, tasks, embed);
    }

    /// <summary>
    /// The job object for its own <c>batch.run</c> job (no caller check: that job runs as the job's creator), and
    /// whether DELETE canceled any of its tasks (then that job ends ABORTED).
    /// </summary>
    public async Task<(JsonObject Job, bool Canceled)> ReadForRunAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken)
                  ?? throw new InstanceNotFoundException($"Batch job {id} does not exist");
        var taskIds = await db.Tasks.AsNoTracking().Where(t => t.JobId == id).OrderBy(t => t.Id).Select(t => t.Id)
            .ToListAsync(cancellationToken);
        var canceled = await db.Tasks.AnyAsync(t => t.JobId == id && t.Status == BatchStatus.Canceled, cancellationToken);
        return (BatchJobSnapshot.Of(job, taskIds).ToJson(), canceled);
    }

    /// <summary>The job's stored state, for its <c>batch.run</c> job to follow (no caller check, as above).</summary>
    public async Task<BatchJobSnapshot> ReadStateAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken)
                  ?? throw new InstanceNotFoundException($"Batch job {id} does not exist");
        var taskIds = await db.Tasks.AsNoTracking().Where(t => t.JobId == id).OrderBy(t => t.Id).Select(t => t.Id)
            .ToListAsync(cancellationToken);
        return BatchJobSnapshot.Of(job, taskIds);
    }

    /// <summary>A page of the caller's visible jobs, newest first, optionally of one status.</summary>
    public async Task<JsonArray> QueryAsync(Caller caller, string? status, int offset, int limit,
        CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var jobs = db.Jobs.AsNoTracking();
        if (!caller.HasRole(Role.ReadonlyAdmin))
        {
            jobs = jobs.Where(j => j.Owner == caller.Username);
        }

        if (status is not null)
        {
            jobs = jobs.Where(j => j.Status == status);
        }

        var page = await jobs.OrderByDescending(j => j.Id).Skip(offset).Take(limit).ToListAsync(cancellationToken);
        var ids = page.Select(j => j.Id).ToArray();
        var taskIds = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.JobId)).OrderBy(t => t.Id)
                .Select(t => new { t.JobId, t.Id }).ToListAsync(cancellationToken))
            .ToLookup(t => t.JobId, t => new BatchTaskRecord
            {
                Id = t.Id, Method = "", Resource = "", Destination = "", Status = "",
            });
        return new JsonArray(page.Select(j => (JsonNode)BatchJobView.Job(j, taskIds[j.Id], embed: false)).ToArray());
    }

    /// <summary>The task object, if the caller may see its job.</summary>
    public async Task<JsonObject> GetTaskAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().Include(t => t.Job).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task?.Job is null || !BatchJobAccess.MaySee(caller, task.Job))
        {
            throw new InstanceNotFoundException($"Batch task {id} does not exist");
        }

        return BatchJobView.Task(task);
    }
}
