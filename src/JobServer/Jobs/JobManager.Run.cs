using System.Text.Json;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    private void StartAll(IReadOnlyList<Job> jobs)
    {
        foreach (var job in jobs)
        {
            _ = Task.Run(() => RunAsync(job));
        }
    }

    /// <summary>Starts a job that waited in the queue: RUNNING, then its body.</summary>
    private async Task RunAsync(Job job)
    {
        var log = OpenLog(job);
        if (!TryStartUnlessStopping(job, log?.Path))
        {
            log?.Dispose();
            return; // Aborted while waiting (already finished and released), or the daemon is stopping.
        }

        // RUNNING is queued, not awaited: the body need not wait for its commit (see PublishChangeAsync).
        _ = PublishChangeAsync(job, EventKind.Changed, awaitCommit: false);
        await ExecuteAsync(job, log);
    }

    private JobLog? OpenLog(Job job) => job.Request.Job.Logs ? new JobLog(LogPathOf(job.Id)) : null;

    /// <summary>Runs the body of a job already RUNNING on the thread pool (never on the writer's thread).</summary>
    private void StartBody(Job job, JobLog? log) => _ = Task.Run(() => ExecuteAsync(job, log));

    /// <summary>Runs a RUNNING job's body to its outcome, then finishes the job; owns (and closes) its log.</summary>
    private async Task ExecuteAsync(Job job, JobLog? log)
    {
        using var logOwner = log;
        using var progress = new ProgressThrottle(time,
            TimeSpan.FromMilliseconds(options.Value.ProgressIntervalMilliseconds),
            () => _ = PublishChangeAsync(job, EventKind.Changed, awaitCommit: false));
        var context = new JobContext(job, log, progress);
        JobOutcome outcome;
        try
        {
            var arguments = ContextArguments(job, context);
            var value = await job.Method.Invoker(job.Method.Service.Instance, arguments);
            if (job.Request.Pipes is { } pipes)
            {
                // The body is done: its last progress goes out with the final state, not from a throttle timer that
                // could fire after the daemon stopped (its writer gone) while this waits.
                progress.Dispose();
                // Not SUCCESS before a downloader took the output (or ABORTED when its window passes).
                await pipes.WaitOutputTakenAsync(job.Abort.Token);
            }

            outcome = new JobOutcome(JobState.Success, Result: SerializeResult(value, job));
        }
        catch (JobAbortedException e)
        {
            outcome = JobFailure.Aborted(e.Message);
        }
        catch (OperationCanceledException) when (job.Abort.IsCancellationRequested)
        {
            outcome = JobFailure.Aborted(AbortReason(job));
        }
#pragma warning disable CA1031 // Whatever a job body throws becomes the job's error; the daemon lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = job.Abort.IsCancellationRequested ? JobFailure.Aborted(AbortReason(job)) : JobFailure.Failed(e);
            LogFailure(job, e);
        }

        progress.Dispose();
        log?.Writer.Flush();
        await FinishAsync(job, outcome, logsPath: log?.Path, closeLog: log);
    }

    /// <summary>Records a terminal state once, persists and publishes it, then frees the job's lock and slot.</summary>
    private async Task FinishAsync(Job job, JobOutcome outcome, string? logsPath, JobLog? closeLog = null)
    {
        closeLog?.Dispose();
        if (!job.TryFinish(outcome, time.GetUtcNow(), JobLog.Excerpt(logsPath)))
        {
            return;
        }

        job.Request.Pipes?.OnJobFinished(outcome.State);

        try
        {
            await PublishChangeAsync(job, EventKind.Changed);
        }
        finally
        {
            Release(job);
            job.Finished.TrySetResult();
            LogJobFinished(logger, job.Id, job.Method.Name, outcome.State.WireName());
        }
    }

    /// <summary>
    /// Frees what a job held in the queue (its slot and lock, or its place in line), forgets it, and starts the
    /// jobs that may start now.
    /// </summary>
    private void Release(Job job)
    {
        IReadOnlyList<Job> toStart;
        lock (_gate)
        {
            toStart = _queue.IsWaiting(job) ? _queue.RemoveWaiting(job) : _queue.Finish(job);
            Forget(job);
        }

        StartAll(toStart);
    }

    /// <summary>The bound arguments with the job's own context values: the job, its caller, its abort token.</summary>
    private static object?[] ContextArguments(Job job, JobContext context)
    {
        var arguments = (object?[])job.Request.Arguments.Clone();
        for (var i = 0; i < job.Method.Parameters.Count; i++)
        {
            arguments[i] = job.Method.Parameters[i].Kind switch
            {
                Registry.ParameterKind.JobContext => context,
                Registry.ParameterKind.CallContext => job.Request.Caller,
                Registry.ParameterKind.CancellationToken => job.Abort.Token,
                _ => arguments[i],
            };
        }

        return arguments;
    }

    private static System.Text.Json.Nodes.JsonNode? SerializeResult(object? value, Job job)
    {
        if (value is null || job.Method.ResultType == typeof(void))
        {
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToNode(value, job.Method.ResultType, WireJson.Options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new CallError($"The job's result cannot be serialized: {e.Message}", Errno.EFAULT);
        }
    }

    /// <summary>
    /// Errors a job raises on purpose and broken pipes (a client went away) are expected: one line. Anything
    /// else is a bug in the job, logged with its stack.
    /// </summary>
    private void LogFailure(Job job, Exception e)
    {
        if (job.Abort.IsCancellationRequested || e is CallError or ValidationException)
        {
            return;
        }

        if (e is IOException)
        {
            LogJobIoFailure(logger, job.Id, job.Method.Name, e.Message);
        }
        else
        {
            LogJobCrashed(logger, e, job.Id, job.Method.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Method}) failed: {Reason}")]
    private static partial void LogJobIoFailure(ILogger logger, long jobId, string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Method}) failed unexpectedly")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, long jobId, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Method}) finished: {State}")]
    private static partial void LogJobFinished(ILogger logger, long jobId, string method, string state);
}
