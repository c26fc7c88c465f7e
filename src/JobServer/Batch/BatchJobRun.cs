using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Batch;

/// <summary>
/// A batch job as an ordinary job (issue 16): each batch job has one private <c>batch.run</c> job of its creator,
/// so it appears in <c>core.get_jobs</c> with its progress and its events reach DDP/JSON-RPC subscribers. The
/// body follows the batch job until it settles — SUCCESS for <c>resolved</c>, FAILED for <c>rejected</c> or
/// <c>partial</c>, ABORTED when DELETE canceled it — and <c>core.job_abort</c> on it cancels the batch job as DELETE
/// does. The batch database stays the truth; the job only mirrors it, and is resumable, so after a restart it
/// runs again under the same id and catches up with the stored batch job.
/// </summary>
internal sealed partial class BatchJobRun(
    Lazy<Dispatcher> dispatcher,
    Lazy<JobManager> manager,
    BatchJobs jobs,
    BatchJobQueries queries,
    BatchJobWatchers watchers,
    ILogger<BatchJobRun> logger)
{
    public const string Method = "batch.run";

    /// <summary>
    /// Submits the batch job's <c>batch.run</c> through the Dispatcher as its creator (authorized, quota-counted,
    /// durable before it answers); a refusal is thrown as the call's own error.
    /// </summary>
    public async Task SubmitAsync(Caller creator, long batchJobId)
    {
        using var arguments = JsonDocument.Parse($"[{batchJobId}]");
        var started = await dispatcher.Value.InvokeAsync(
            new CallRequest(creator, Method, arguments.RootElement) { AllowPrivate = true }, CancellationToken.None);
        if (started.Outcome.IsError)
        {
            throw new CallFailedException(started.Outcome.Error!);
        }
    }

    /// <summary>The body of <c>batch.run</c>: mirrors the batch job's progress until it settles.</summary>
    public async Task<JsonObject> FollowAsync(IJobContext context, ICallContext caller, long batchJobId)
    {
        // Watch before reading, so no change between the read and the first wait is missed.
        using var watch = watchers.Watch(batchJobId);
        try
        {
            // After a restart or a node's death this job runs again here: this node drives the batch job now.
            await jobs.TakeInAsync(batchJobId, context.Aborted);
            var current = await queries.ReadStateAsync(batchJobId, context.Aborted);
            Report(context, current);
            while (!current.IsFinal)
            {
                current = await watch.Changes.ReadAsync(context.Aborted);
                Report(context, current);
            }
        }
        catch (OperationCanceledException) when (context.Aborted.IsCancellationRequested)
        {
            // core.job_abort is DELETE: cancel the batch job's unfinished tasks, then end ABORTED.
            await jobs.CancelForRunAsync(batchJobId);
            throw;
        }

        var (settled, canceled) = await queries.ReadForRunAsync(batchJobId, CancellationToken.None);
        if (canceled)
        {
            // DELETE canceled it: this job ends ABORTED, as if it had been aborted here.
            LogCanceled(logger, context.JobId, batchJobId);
            await manager.Value.AbortAsync(context.JobId, caller, $"Batch job {batchJobId} was canceled");
            throw new OperationCanceledException(context.Aborted);
        }

        var status = Status(settled);
        return status == BatchStatus.Resolved
            ? settled
            : throw new CallError(
                $"Batch job {batchJobId} ended {status}: {settled["errorCount"]} of {settled["totalCount"]} " +
                "task(s) failed or timed out", Errno.EFAULT);
    }

    private static string Status(JsonObject job) => job["status"]!.GetValue<string>();

    private static void Report(IJobContext context, BatchJobSnapshot job) =>
        context.SetProgress(job.Progress, $"{job.FinishCount} of {job.TotalCount} task(s) finished",
            new JsonObject
            {
                ["batch_job"] = job.Id, ["status"] = job.Status, ["finishCount"] = job.FinishCount,
                ["totalCount"] = job.TotalCount, ["errorCount"] = job.ErrorCount,
            });

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ends ABORTED: batch job {BatchJobId} was canceled")]
    private static partial void LogCanceled(ILogger logger, long jobId, long batchJobId);
}
