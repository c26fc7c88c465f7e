using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Batch;

/// <summary>
/// Creates, cancels and times out batch jobs: a new job and its tasks are stored in one transaction (ids from the
/// database) and taken into the <see cref="BatchLedger"/>, where every later change is made and queued to the
/// group-commit <see cref="BatchWriter"/>; each change is stored first, then published (<see cref="BatchPublisher"/>).
/// </summary>
internal sealed partial class BatchJobs : IDisposable
{
    private readonly ConcurrentDictionary<long, ITimer> _timeouts = new();
    private readonly IDbContextFactory<BatchDbContext> _databases;
    private readonly BatchLedger _ledger;
    private readonly BatchWriter _writer;
    private readonly BatchPublisher _publisher;
    private readonly BatchJobQueries _queries;
    private readonly TimeProvider _time;
    private readonly ILogger<BatchJobs> _logger;

    public BatchJobs(IDbContextFactory<BatchDbContext> databases, BatchLedger ledger, BatchWriter writer,
        BatchPublisher publisher, BatchJobQueries queries, TimeProvider time, ILogger<BatchJobs> logger)
    {
        _databases = databases;
        _ledger = ledger;
        _writer = writer;
        _publisher = publisher;
        _queries = queries;
        _time = time;
        _logger = logger;
        publisher.JobSettled += id =>
        {
            if (_timeouts.TryRemove(id, out var timer))
            {
                timer.Dispose();
            }
        };
    }

    /// <summary>
    /// Stores the job and its tasks (all <c>pending</c>) and answers the job object (task ids). <paramref name="accepted"/>
    /// runs after the commit and before any task is due (it submits the job's <c>batch.run</c>); when it throws, the
    /// job is deleted again and the error thrown, so a refused call leaves nothing behind.
    /// </summary>
    public async Task<JsonObject> CreateAsync(Caller caller, BatchJobRequest request, Func<long, Task> accepted,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
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
        cancellationToken.ThrowIfCancellationRequested();
        await _writer.Queue(new BatchWrite { Insert = job });
        var answer = BatchJobView.Job(job, job.Tasks, embed: false);
        _ledger.Add(job, job.Tasks, [.. job.Tasks.Select(t => t.Id)], admitted: false);

        try
        {
            await accepted(job.Id);
        }
        catch
        {
            _ledger.Forget(job.Id);
            await _writer.Queue(new BatchWrite { Delete = job.Id });
            throw;
        }

        LogCreated(_logger, job.Id, job.TotalCount, job.Owner);
        ScheduleTimeout(job);
        _publisher.Announce(_ledger.Admit(job.Id));
        return answer;
    }

    /// <summary>Cancels the job's unfinished tasks; a finished job is answered as it is (not an error).</summary>
    public async Task<JsonObject> CancelAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var changed = _ledger.TryFinishJob(id, BatchStatus.Canceled, job => CheckMayCancel(caller, job));
        if (changed is { } live)
        {
            await live.Stored;
            return live.Job.ToJson();
        }

        await using (var db = await _databases.CreateDbContextAsync(cancellationToken))
        {
            var stored = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
            if (stored is null)
            {
                throw new InstanceNotFoundException($"Batch job {id} does not exist");
            }

            CheckMayCancel(caller, stored);
        }

        return await _queries.GetAsync(caller, id, embed: false, cancellationToken);
    }

    /// <summary>Cancels the job's unfinished tasks for its <c>batch.run</c> job (aborted: access was checked there).</summary>
    public Task CancelForRunAsync(long id) =>
        _ledger.TryFinishJob(id, BatchStatus.Canceled, check: null)?.Stored ?? Task.CompletedTask;

    /// <summary>Sets every unfinished task of a job whose timeout passed to <c>timeout</c>.</summary>
    public async Task TimeOutAsync(long id)
    {
        try
        {
            await (_ledger.TryFinishJob(id, BatchStatus.Timeout, check: null)?.Stored ?? Task.CompletedTask);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTimeoutFailed(_logger, e, id);
        }
    }

    /// <summary>
    /// Takes a stored, unfinished job into this node's ledger — its tasks offered again as agents register, its
    /// timeout running on (a passed one fires at once) — unless it was taken in before during this run. Called by
    /// the job's <c>batch.run</c> when it starts: after a restart it runs again (resumable), and on PostgreSQL after
    /// a node's death it runs on the node that adopted it, so each batch job is driven by exactly one live node,
    /// the one running its <c>batch.run</c>, never by every node that starts on the shared database.
    /// </summary>
    public async Task TakeInAsync(long id, CancellationToken cancellationToken)
    {
        if (_ledger.Holds(id))
        {
            return;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null || BatchStatus.IsFinal(job.Status))
        {
            return;
        }

        var tasks = await db.Tasks.AsNoTracking().Where(t => t.JobId == id).OrderBy(t => t.Id).ToListAsync(cancellationToken);
        SharedMessages(tasks);
        if (_ledger.Add(job, tasks, [.. tasks.Select(t => t.Id)], admitted: true) is { } destinations)
        {
            LogTakenIn(_logger, id, tasks.Count(t => !BatchStatus.IsFinished(t.Status)));
            ScheduleTimeout(job);
            _publisher.Announce(destinations);
        }
    }

    public void Dispose()
    {
        foreach (var timer in _timeouts.Values)
        {
            timer.Dispose();
        }
    }

    private static void CheckMayCancel(Caller caller, BatchJobRecord job)
    {
        if (!BatchJobAccess.MaySee(caller, job))
        {
            throw new InstanceNotFoundException($"Batch job {job.Id} does not exist");
        }

        if (!BatchJobAccess.MayCancel(caller, job))
        {
            throw new CallError("Only the job's owner or a full admin may cancel it", Errno.EACCES);
        }
    }

    /// <summary>
    /// The tasks of one entry carry the same message; read back from the database each has its own copy, so the
    /// ledger would hold it once per destination. One copy per distinct text is kept instead.
    /// </summary>
    private static void SharedMessages(List<BatchTaskRecord> tasks)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        string Share(string text) => texts.TryGetValue(text, out var shared) ? shared : texts[text] = text;
        foreach (var task in tasks.Where(t => !BatchStatus.IsFinished(t.Status)))
        {
            task.Method = Share(task.Method);
            task.Resource = Share(task.Resource);
            task.Data = task.Data is null ? null : Share(task.Data);
        }
    }

    private void ScheduleTimeout(BatchJobRecord job)
    {
        if (job.Timeout is not { } seconds)
        {
            return;
        }

        var due = DateTimeOffset.FromUnixTimeMilliseconds(job.CreatedAt).AddSeconds(seconds) - _time.GetUtcNow();
        var id = job.Id;
        var timer = _time.CreateTimer(_ => _ = TimeOutAsync(id), null,
            due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        if (!_timeouts.TryAdd(id, timer))
        {
            timer.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch job {JobId} created with {TaskCount} task(s) by {Owner}")]
    private static partial void LogCreated(ILogger logger, long jobId, int taskCount, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch job {JobId} taken in with {TaskCount} unfinished task(s)")]
    private static partial void LogTakenIn(ILogger logger, long jobId, int taskCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch job {JobId} could not be timed out")]
    private static partial void LogTimeoutFailed(ILogger logger, Exception exception, long jobId);
}
