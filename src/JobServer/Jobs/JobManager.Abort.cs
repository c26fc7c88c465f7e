using System.Globalization;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    /// <summary>
    /// Aborts a job: a waiting one becomes ABORTED at once; a running one is cancelled and, if it ignores the
    /// cancellation for the grace period, is marked ABORTED anyway and its lock released. A job another node of
    /// the cluster runs is aborted there (<see cref="IJobPeers"/>), with the rights checked here on its row.
    /// </summary>
    public async Task AbortAsync(long id, ICallContext caller, string? reason = null)
    {
        if (!_active.TryGetValue(id, out var job))
        {
            // Unknown ids are errors; a finished job has nothing to abort.
            var record = await EnsureVisibleAsync(id, caller);
            if (_peers is not null && record.State is "WAITING" or "RUNNING")
            {
                CheckMayAbort(id, caller, record.Username);
                await _peers.RequestAbortAsync(id, reason ?? AbortedBy(caller), CancellationToken.None);
            }

            return;
        }

        // Someone who may not see the job gets exactly what a missing id gets: EPERM told a plain user that the id
        // exists (issue 12, item 19). A READONLY_ADMIN sees every job, so for them EPERM says nothing new.
        if (!JobCaller.MaySee(caller, job.Request.Caller.Username))
        {
            throw NotFound(id);
        }

        CheckMayAbort(id, caller, job.Request.Caller.Username);
        await AbortActiveAsync(job, reason ?? AbortedBy(caller));
    }

    /// <summary>
    /// An abort another node asked for (its caller's rights were checked there): false when the job is not
    /// active here (finished meanwhile, or another node's).
    /// </summary>
    public async Task<bool> AbortForPeerAsync(long id, string reason)
    {
        if (!_active.TryGetValue(id, out var job))
        {
            return false;
        }

        await AbortActiveAsync(job, reason);
        return true;
    }

    private async Task AbortActiveAsync(Job job, string reason)
    {
        job.RequestAbort(reason);
        if (_scheduler.IsWaiting(job))
        {
            await FinishAsync(job, JobFailure.Aborted(job.AbortReason!), logsPath: null);
            return;
        }

        StartGraceTimer(job);
    }

    private static void CheckMayAbort(long id, ICallContext caller, string? owner)
    {
        if (!caller.HasRole(Role.FullAdmin) && owner != caller.Username)
        {
            throw new CallError($"Not allowed to abort job {id}", Errno.EPERM);
        }
    }

    private static string AbortedBy(ICallContext caller) => $"Aborted by {caller.Username ?? "the daemon"}";

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
