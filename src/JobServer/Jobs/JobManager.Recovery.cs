using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.Sdk;
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
        var (failed, queued) = await TakeUnfinishedAsync(unfinished, registry, StoppedWhileRunning, publish: false);
        LogRecovered(_logger, failed, queued);
    }

    /// <summary>
    /// Takes over the unfinished jobs of a node that stopped (issue 18: a cluster on PostgreSQL; the jobs are
    /// already this node's in the store): like <see cref="RecoverAsync"/>, with the node named in the error and
    /// the changes announced to this node's subscribers.
    /// </summary>
    public async Task AdoptAsync(string node, IReadOnlyList<JobRecord> unfinished, MethodRegistry registry)
    {
        var (failed, queued) = await TakeUnfinishedAsync(unfinished, registry,
            $"node {node} stopped while the job was running", publish: true);
        LogAdopted(_logger, node, failed, queued);
    }

    /// <summary>
    /// RUNNING jobs fail with <paramref name="runningError"/> (unless their method is resumable: those are queued
    /// again); WAITING jobs are queued again in their original order, with their original callers.
    /// </summary>
    private async Task<(int Failed, int Queued)> TakeUnfinishedAsync(IReadOnlyList<JobRecord> unfinished,
        MethodRegistry registry, string runningError, bool publish)
    {
        var failed = 0;
        var queued = 0;
        foreach (var record in unfinished)
        {
            if (record.State == "RUNNING" && !IsResumable(record, registry))
            {
                failed++;
                await FailStoredAsync(record, new CallError(runningError, Errno.EFAULT), publish);
                continue;
            }

            var job = Restore(record, registry, out var failure);
            if (job is null)
            {
                failed++;
                await FailStoredAsync(record, failure!, publish);
                continue;
            }

            queued++;
            _active[job.Id] = job;
            _scheduler.Restore(job);
        }

        return (failed, queued);
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

    private async Task FailStoredAsync(JobRecord record, Exception failure, bool publish)
    {
        var outcome = JobFailure.Failed(failure);
        record.State = JobState.Failed.WireName();
        record.Error = outcome.Error;
        record.Exception = outcome.Exception;
        record.ExcInfoJson = outcome.ExcInfo?.ToJsonString();
        record.TimeFinished = _time.GetUtcNow().UtcDateTime;
        record.PendingArgumentsJson = null;
        Action? announce = publish && !record.Transient
            ? () => _bus.Publish(JobDocument.ToEvent(Collection, EventKind.Changed, record))
            : null;
        await _store.SaveAsync(record, announce);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Recovered jobs: {Failed} interrupted job(s) marked FAILED, {Queued} waiting job(s) queued again")]
    private static partial void LogRecovered(ILogger logger, int failed, int queued);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Took over node {Node}'s jobs: {Failed} running job(s) marked FAILED, {Queued} job(s) queued here")]
    private static partial void LogAdopted(ILogger logger, string node, int failed, int queued);
}
