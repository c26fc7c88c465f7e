using JobServer.Sdk;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    /// <summary>A job the scheduler let go: started on a tracked task (never on the caller's thread).</summary>
    public void StartJob(Job job) =>
        _tasks.Run(static s => s.Manager.RunQueuedAsync(s.Job), (Manager: this, Job: job));

    /// <summary>Starts a job that waited in the queue: RUNNING, then its body.</summary>
    private async Task RunQueuedAsync(Job job)
    {
        var log = OpenLog(job);
        if (!TryStartUnlessStopping(job, log?.Path))
        {
            log?.Dispose();
            return; // Aborted while waiting (already finished, and released or about to be), or the daemon is stopping.
        }

        // RUNNING is queued, not awaited: the body need not wait for its commit (see OnCommitted).
        QueueChange(job);
        await ExecuteAsync(job, log);
    }

    private JobLog? OpenLog(Job job) => job.Request.Job.Logs ? new JobLog(LogPathOf(job.Id)) : null;

    /// <summary>
    /// Runs a RUNNING job's body on its runner to its outcome, then finishes the job; owns (and closes) its log.
    /// When the daemon stops first, it stops waiting for the body and leaves the job RUNNING: the next start
    /// records it as interrupted, exactly as after a crash.
    /// </summary>
    private async Task ExecuteAsync(Job job, JobLog? log)
    {
        using var logOwner = log;
        _metrics.Started(job);
        using var progress = new ProgressThrottle(_time,
            TimeSpan.FromMilliseconds(_options.Value.ProgressIntervalMilliseconds), () => QueueChange(job));
        var context = new JobContext(job, log, progress, _calls);
        JobOutcome outcome;
        try
        {
            var body = _runners.For(job.Method).RunAsync(job, context);
            // A body that completed synchronously (a no-op) costs no stop registration.
            outcome = body.IsCompleted ? body.Result : await body.AsTask().WaitAsync(_tasks.Stopping);
            if (outcome.State == JobState.Success && job.Request.Pipes is { } pipes)
            {
                // The body is done: its last progress goes out with the final state, not from a throttle timer that
                // could fire after the daemon stopped (its writer gone) while this waits.
                progress.Dispose();
                // Not SUCCESS before a downloader took the output (or ABORTED when its window passes).
                await pipes.WaitOutputTakenAsync(job.Abort.Token).WaitAsync(_tasks.Stopping);
            }
        }
        catch (OperationCanceledException) when (_tasks.Stopping.IsCancellationRequested)
        {
            LogLeftRunning(_logger, job.Id, job.Method.Name);
            return;
        }
#pragma warning disable CA1031 // A runner that broke (or a pipe that did) fails its job; the daemon lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!job.Abort.IsCancellationRequested)
            {
                LogRunnerFailed(_logger, e, job.Id, job.Method.Name);
            }

            outcome = JobFailure.Of(job, e);
        }

        progress.Dispose();
        log?.Writer.Flush();
        await FinishAsync(job, outcome, logsPath: log?.Path, closeLog: log);
    }

    /// <summary>
    /// Records a terminal state once, commits and publishes it (the commit frees the job's lock and slot for the
    /// next jobs, see <see cref="OnCommitted"/>); a finish that could not be committed still frees them.
    /// </summary>
    private async Task FinishAsync(Job job, JobOutcome outcome, string? logsPath, JobLog? closeLog = null)
    {
        closeLog?.Dispose();
        if (!job.TryFinish(outcome, _time.GetUtcNow(), JobLog.Excerpt(logsPath)))
        {
            return;
        }

        _metrics.Finished(job, outcome.State);
        job.Request.Pipes?.OnJobFinished(outcome.State);
        try
        {
            await CommitAsync(job, EventKind.Changed, AfterCommit.Release);
            job.MarkEndCommitted();
        }
        catch
        {
            Release(job); // Not published: the stored row keeps its last committed state.
            throw;
        }
        finally
        {
            job.GraceTimer?.Dispose(); // Ended within its abort's grace: nothing left to abandon.
            job.Finished.TrySetResult();
            LogJobFinished(_logger, job.Id, job.Method.Name, outcome.State.WireName());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The runner of job {JobId} ({Method}) failed")]
    private static partial void LogRunnerFailed(ILogger logger, Exception exception, long jobId, string method);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Job {JobId} ({Method}) was still running when the daemon stopped; the next start records it as interrupted")]
    private static partial void LogLeftRunning(ILogger logger, long jobId, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Method}) finished: {State}")]
    private static partial void LogJobFinished(ILogger logger, long jobId, string method, string state);
}
