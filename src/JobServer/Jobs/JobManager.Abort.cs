using System.Globalization;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    /// <summary>
    /// Aborts a job: a waiting one becomes ABORTED at once; a running one is cancelled and, if it ignores the
    /// cancellation for the grace period, is marked ABORTED anyway and its lock released.
    /// </summary>
    public async Task AbortAsync(long id, ICallContext caller, string? reason = null)
    {
        if (!_active.TryGetValue(id, out var job))
        {
            await EnsureVisibleAsync(id, caller); // Finished already: nothing to abort, but unknown ids are errors.
            return;
        }

        // Someone who may not see the job gets exactly what a missing id gets: EPERM told a plain user that the id
        // exists (issue 12, item 19). A READONLY_ADMIN sees every job, so for them EPERM says nothing new.
        if (!JobCaller.MaySee(caller, job.Request.Caller.Username))
        {
            throw NotFound(id);
        }

        if (!caller.HasRole(Role.FullAdmin) && job.Request.Caller.Username != caller.Username)
        {
            throw new CallError($"Not allowed to abort job {id}", Errno.EPERM);
        }

        reason ??= $"Aborted by {caller.Username ?? "the daemon"}";
        job.RequestAbort(reason);
        if (_scheduler.IsWaiting(job))
        {
            await FinishAsync(job, JobFailure.Aborted(job.AbortReason!), logsPath: null);
            return;
        }

        StartGraceTimer(job);
    }

    private void StartGraceTimer(Job job)
    {
        var grace = TimeSpan.FromSeconds(_options.Value.AbortGraceSeconds);
        job.GraceTimer = _time.CreateTimer(_ =>
        {
            job.GraceTimer?.Dispose();
            if (job.Finished.Task.IsCompleted)
            {
                return;
            }

            LogAbortIgnored(_logger, job.Id, job.Method.Name, grace.TotalSeconds);
            var runner = _runners.For(job.Method);
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"{job.AbortReason} (the job did not stop within {grace.TotalSeconds:0.#} s and was abandoned{(runner.AbandonNoteFor(job) is { } note ? "; " + note : "")})");
            _tasks.Run(static s => s.Manager.AbandonAsync(s.Job, s.Runner, s.Reason), (Manager: this, Job: job, Runner: runner, Reason: reason));
        }, null, grace, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Marks the job ABORTED (synchronously, before the first await), then lets its runner stop the body.</summary>
    private async Task AbandonAsync(Job job, IJobRunner runner, string reason)
    {
        var finish = FinishAsync(job, JobFailure.Aborted(reason), LogPathIfAny(job));
        runner.Abandon(job);
        await finish;
    }

    private string? LogPathIfAny(Job job) => job.Request.Job.Logs ? LogPathOf(job.Id) : null;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Job {JobId} ({Method}) ignored its abort for {GraceSeconds} s; marked ABORTED and its lock released")]
    private static partial void LogAbortIgnored(ILogger logger, long jobId, string method, double graceSeconds);
}
