using JobServer.Sdk;

namespace JobServer.Jobs;

/// <summary>
/// Runs the body of a job the manager has made RUNNING and reports how it ended. A runner never changes the job:
/// the manager records the outcome (and so stays the only code that changes a job). <see cref="InProcessJobRunner"/>
/// runs bodies in the daemon, the worker-process runner (<c>Workers/ProcessJobRunner</c>) runs
/// <c>[Job(Process = true)]</c> bodies in worker processes; a remote agent (batch tasks) is the next runner; <see cref="JobRunners"/> picks one per method.
/// </summary>
internal interface IJobRunner
{
    /// <summary>
    /// Runs the body to its end and returns the outcome; whatever the body throws becomes a FAILED or ABORTED
    /// outcome, so the task fails only when the runner itself broke. The body reports progress and writes its log
    /// through <paramref name="context"/> and is asked to stop through <c>job.Abort</c>; an abort it ignores is
    /// the manager's business (its grace timer), so a runner may simply never return. A
    /// <see cref="ValueTask{TResult}"/>: a body that completes at once (a no-op job) costs no task allocation.
    /// </summary>
    ValueTask<JobOutcome> RunAsync(Job job, IJobContext context);

    /// <summary>
    /// What <see cref="Abandon"/> does, for the job's error ("its worker process was killed"); null for a runner
    /// that cannot stop a body (an in-process body keeps its thread until it returns).
    /// </summary>
    string? AbandonNote => null;

    /// <summary>What <see cref="Abandon"/> does to this job (a runner whose jobs differ says so per job).</summary>
    string? AbandonNoteFor(Job job) => AbandonNote;

    /// <summary>
    /// The job ignored its abort past the grace period and the manager has just marked it ABORTED: the runner stops
    /// the body if it can (a worker process is killed with its process tree). Called after the job is finished, so
    /// whatever the body's end reports then is ignored.
    /// </summary>
    void Abandon(Job job)
    {
    }
}
