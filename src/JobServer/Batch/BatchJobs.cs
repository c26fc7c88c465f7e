using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Batch;

/// <summary>
/// The only code that changes a batch job: creates it with its tasks (one transaction, ids from the database),
/// cancels it, times it out. Each change is stored first, then published to the job's watchers. Changes of one
/// daemon are serialized by one gate, so a job's counts are always recomputed from a consistent set of tasks.
/// </summary>
internal sealed partial class BatchJobs(
    IDbContextFactory<BatchDbContext> databases,
    BatchJobWatchers watchers,
    TimeProvider time,
    ILogger<BatchJobs> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<long, ITimer> _timeouts = new();

    /// <summary>
    /// Raised after a change with the destinations that got new tasks or finished one: their agent's next task
    /// may now be due (<see cref="BatchDelivery"/> listens). Raised outside the gate.
    /// </summary>
    public event Action<IReadOnlyCollection<string>>? DestinationsChanged;

    /// <summary>
    /// Stores the job and its tasks (all <c>pending</c>) and answers the job object (task ids). <paramref name="accepted"/>
    /// runs after the commit and before any task is due (it submits the job's <c>batch.run</c>); when it throws, the
    /// job is deleted again and the error thrown, so a refused call leaves nothing behind.
    /// </summary>
    public async Task<JsonObject> CreateAsync(Caller caller, BatchJobRequest request, Func<long, Task> accepted,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var job = new BatchJobRecord
        {
            Owner = caller.Username ?? throw new CallError("Sign in first", Errno.ENOTAUTHENTICATED),
            CreatedAt = now,
            Timeout = request.Timeout,
            Status = BatchStatus.Pending,
            TotalCount = request.Tasks.Count,
            Tasks = request.Tasks.Select(t => new BatchTaskRecord
            {
                Method = t.Method, Resource = t.Resource, Data = t.Data, Destination = t.Destination,
                CreatedAt = now, Timeout = request.Timeout, Status = BatchStatus.Pending,
            }).ToList(),
        };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            db.Jobs.Add(job);
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        try
        {
            await accepted(job.Id);
        }
        catch
        {
            await DeleteAsync(job.Id);
            throw;
        }

        LogCreated(logger, job.Id, job.TotalCount, job.Owner);
        ScheduleTimeout(job);
        DestinationsChanged?.Invoke(job.Tasks.Select(t => t.Destination).Distinct(StringComparer.Ordinal).ToArray());
        return BatchJobView.Job(job, job.Tasks, embed: false);
    }

    /// <summary>Cancels the job's unfinished tasks; a finished job is answered as it is (not an error).</summary>
    public async Task<JsonObject> CancelAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var job = await ChangeAsync(id, BatchStatus.Canceled, caller, cancellationToken);
        return BatchJobView.Job(job, job.Tasks, embed: false);
    }

    /// <summary>Cancels the job's unfinished tasks for its <c>batch.run</c> job (aborted: access was checked there).</summary>
    public Task CancelForRunAsync(long id) => ChangeAsync(id, BatchStatus.Canceled, caller: null, CancellationToken.None);

    /// <summary>Sets every unfinished task of a job whose timeout passed to <c>timeout</c>.</summary>
    public async Task TimeOutAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            await ChangeAsync(id, BatchStatus.Timeout, caller: null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTimeoutFailed(logger, e, id);
        }
    }

    /// <summary>Restarts the timeouts of the jobs a previous run left unfinished (a passed one fires at once).</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => j.Timeout != null && j.Status != BatchStatus.Resolved && j.Status != BatchStatus.Rejected &&
                        j.Status != BatchStatus.Partial)
            .ToListAsync(cancellationToken);
        foreach (var job in unfinished)
        {
            ScheduleTimeout(job);
        }
    }

    /// <summary>Removes a job nobody learned of (its <c>batch.run</c> was refused); its tasks go with it.</summary>
    private async Task DeleteAsync(long id)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
            await db.Jobs.Where(j => j.Id == id).ExecuteDeleteAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var timer in _timeouts.Values)
        {
            timer.Dispose();
        }

        _gate.Dispose();
    }

    /// <summary>Moves the job's unfinished tasks to <paramref name="status"/>, settles the job, stores, publishes.</summary>
    private Task<BatchJobRecord> ChangeAsync(long id, string status, Caller? caller, CancellationToken cancellationToken) =>
        ChangeJobAsync(id, (job, now) =>
        {
            if (caller is not null && !BatchJobAccess.MaySee(caller, job))
            {
                throw new InstanceNotFoundException($"Batch job {id} does not exist");
            }

            if (caller is not null && !BatchJobAccess.MayCancel(caller, job))
            {
                throw new CallError("Only the job's owner or a full admin may cancel it", Errno.EACCES);
            }

            var changed = false;
            foreach (var task in job.Tasks.Where(t => !BatchStatus.IsFinished(t.Status)))
            {
                task.Status = status;
                task.FinishAt = now;
                changed = true;
            }

            return changed;
        }, cancellationToken);

    /// <summary>
    /// The one way a stored job changes: under the gate, loads the job with its tasks, lets
    /// <paramref name="change"/> alter them (true when it did), settles the job, stores it, then publishes it
    /// and names the destinations whose next task may now be due (<see cref="DestinationsChanged"/>).
    /// </summary>
    public async Task<BatchJobRecord> ChangeJobAsync(long id, Func<BatchJobRecord, long, bool> change,
        CancellationToken cancellationToken)
    {
        BatchJobRecord job;
        bool changed;
        HashSet<long> finishedBefore;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            job = await db.Jobs.Include(j => j.Tasks.OrderBy(t => t.Id)).SingleOrDefaultAsync(j => j.Id == id, cancellationToken)
                  ?? throw new InstanceNotFoundException($"Batch job {id} does not exist");
            finishedBefore = job.Tasks.Where(t => BatchStatus.IsFinished(t.Status)).Select(t => t.Id).ToHashSet();
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            changed = change(job, now);
            if (changed)
            {
                BatchJobSettlement.Settle(job, now);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }

        if (changed)
        {
            LogChanged(logger, id, job.Status, job.FinishCount);
            Published(job);
            var freed = job.Tasks.Where(t => BatchStatus.IsFinished(t.Status) && !finishedBefore.Contains(t.Id))
                .Select(t => t.Destination).Distinct(StringComparer.Ordinal).ToArray();
            if (freed.Length > 0)
            {
                DestinationsChanged?.Invoke(freed);
            }
        }

        return job;
    }

    private void Published(BatchJobRecord job)
    {
        var final = BatchStatus.IsFinal(job.Status);
        if (final && _timeouts.TryRemove(job.Id, out var timer))
        {
            timer.Dispose();
        }

        watchers.Publish(job.Id, BatchJobView.Job(job, job.Tasks, embed: false), final);
    }

    private void ScheduleTimeout(BatchJobRecord job)
    {
        if (job.Timeout is not { } seconds)
        {
            return;
        }

        var due = DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt).AddSeconds(seconds) - time.GetUtcNow();
        var id = job.Id;
        var timer = time.CreateTimer(_ => _ = TimeOutAsync(id, CancellationToken.None), null,
            due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        if (!_timeouts.TryAdd(id, timer))
        {
            timer.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch job {JobId} created with {TaskCount} task(s) by {Owner}")]
    private static partial void LogCreated(ILogger logger, long jobId, int taskCount, string owner);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch job {JobId} changed: {JobStatus}, {FinishCount} task(s) finished")]
    private static partial void LogChanged(ILogger logger, long jobId, string jobStatus, int finishCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch job {JobId} could not be timed out")]
    private static partial void LogTimeoutFailed(ILogger logger, Exception exception, long jobId);
}
