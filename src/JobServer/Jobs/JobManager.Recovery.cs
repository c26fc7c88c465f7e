using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    public const string StoppedWhileRunning = "Daemon stopped while the job was running";

    /// <summary>
    /// Rebuilds the queue after a start (the store is open): jobs that were RUNNING when the daemon died are
    /// FAILED with <see cref="StoppedWhileRunning"/> (unless their method is resumable: those are queued again);
    /// WAITING jobs are queued again in their original order, with
    /// their original callers.
    /// </summary>
    public async Task RecoverAsync(MethodRegistry registry, CancellationToken cancellationToken)
    {
        var unfinished = await _store.ListUnfinishedAsync(cancellationToken);
        var interrupted = 0;
        var queued = 0;
        foreach (var record in unfinished)
        {
            if (record.State == "RUNNING" && !IsResumable(record, registry))
            {
                interrupted++;
                await FailStoredAsync(record, new CallError(StoppedWhileRunning, Errno.EFAULT));
                continue;
            }

            var job = Restore(record, registry, out var failure);
            if (job is null)
            {
                await FailStoredAsync(record, failure!);
                continue;
            }

            queued++;
            _active[job.Id] = job;
            _scheduler.Restore(job);
        }

        LogRecovered(_logger, interrupted, queued);
    }

    /// <summary>A RUNNING job of a <see cref="Sdk.JobAttribute.Resumable"/> method is queued again, not failed.</summary>
    private static bool IsResumable(JobRecord record, MethodRegistry registry) =>
        registry.TryGetMethod(record.Method, out var method) && method.Job is { Resumable: true };

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
        record.TimeFinished = _time.GetUtcNow().UtcDateTime;
        record.PendingArgumentsJson = null;
        await _store.SaveAsync(record);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Recovered jobs: {Failed} interrupted job(s) marked FAILED, {Queued} waiting job(s) queued again")]
    private static partial void LogRecovered(ILogger logger, int failed, int queued);
}
