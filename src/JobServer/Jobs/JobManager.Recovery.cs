using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    public const string StoppedWhileRunning = "Daemon stopped while the job was running";

    /// <summary>
    /// Rebuilds the queue after a start: ids continue after the highest ever used; jobs that were RUNNING when
    /// the daemon died are FAILED with <see cref="StoppedWhileRunning"/>; WAITING jobs are queued again in their
    /// original order, with their original callers.
    /// </summary>
    public async Task RecoverAsync(MethodRegistry registry, CancellationToken cancellationToken)
    {
        await using var db = await reads.CreateDbContextAsync(cancellationToken);
        _lastId = await HighestIdAsync(db, cancellationToken);
        var unfinished = await db.Jobs.AsNoTracking()
            .Where(j => j.State == "RUNNING" || j.State == "WAITING")
            .OrderBy(j => j.Id)
            .ToListAsync(cancellationToken);
        var toStart = new List<Job>();
        foreach (var record in unfinished)
        {
            if (record.State == "RUNNING")
            {
                await FailStoredAsync(record, new CallError(StoppedWhileRunning, Errno.EFAULT));
                continue;
            }

            var job = Restore(record, registry, out var failure);
            if (job is null)
            {
                await FailStoredAsync(record, failure!);
                continue;
            }

            _active[job.Id] = job;
            lock (_gate)
            {
                _quota.Add(job.Request.Caller.Username); // Counted, never refused: it was admitted before the restart.
                toStart.AddRange(_queue.Enqueue(job));
            }
        }

        LogRecovered(logger, unfinished.Count(r => r.State == "RUNNING"), _active.Count, _lastId);
        StartAll(toStart);
    }

    private Job? Restore(JobRecord record, MethodRegistry registry, out Exception? failure)
    {
        failure = null;
        if (!registry.TryGetMethod(record.Method, out var method) || !method.IsJob)
        {
            failure = new CallError($"{record.Method} is no longer a job of this daemon", Errno.ENOMETHOD);
            return null;
        }

        using var arguments = JsonDocument.Parse(record.PendingArgumentsJson ?? "[]");
        object?[] bound;
        try
        {
            bound = ArgumentBinder.Bind(method, arguments.RootElement);
        }
        catch (ValidationException e)
        {
            failure = e;
            return null;
        }

        var caller = new JobCaller("restored", record.Username,
            (record.CallerRoles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), record.CredentialType);
        var request = new JobRequest(method, bound, arguments.RootElement.Clone(),
            (JsonArray)JsonNode.Parse(record.ArgumentsJson)!, record.LockName, record.Description, caller, null);
        var job = new Job(record.Id, request,
            new DateTimeOffset(DateTime.SpecifyKind(record.TimeStarted, DateTimeKind.Utc)));
        job.RestoreMessageIds(JsonNode.Parse(record.MessageIdsJson)!.AsArray());
        return job;
    }

    private async Task FailStoredAsync(JobRecord record, Exception failure)
    {
        var outcome = JobFailure.Failed(failure);
        record.State = JobState.Failed.WireName();
        record.Error = outcome.Error;
        record.Exception = outcome.Exception;
        record.ExcInfoJson = outcome.ExcInfo?.ToJsonString();
        record.TimeFinished = time.GetUtcNow().UtcDateTime;
        record.PendingArgumentsJson = null;
        await writer.SaveAsync(record);
    }

    private static async Task<long> HighestIdAsync(JobStoreDbContext db, CancellationToken cancellationToken)
    {
        // sqlite_sequence remembers the highest id ever inserted, also after retention deleted it.
        var sequence = await db.Database
            .SqlQueryRaw<long>("SELECT COALESCE(MAX(seq), 0) AS Value FROM sqlite_sequence WHERE name = 'jobs'")
            .SingleAsync(cancellationToken);
        var highestRow = await db.Jobs.Select(j => (long?)j.Id).MaxAsync(cancellationToken) ?? 0;
        return Math.Max(sequence, highestRow);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Recovered jobs: {Failed} interrupted job(s) marked FAILED, {Queued} waiting job(s) queued again; next id after {LastId}")]
    private static partial void LogRecovered(ILogger logger, int failed, int queued, long lastId);
}
