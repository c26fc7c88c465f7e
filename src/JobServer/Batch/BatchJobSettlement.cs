namespace JobServer.Batch;

/// <summary>
/// A job's counts and status, kept up to date from the one task that changed (never by recounting all of them):
/// <c>finishCount</c> counts finished tasks, <c>errorCount</c> those that did not succeed (rejected, timed out,
/// canceled). The job is <c>pending</c> until a task leaves <c>pending</c>, then <c>dispatching</c>; once every
/// task finished it is <c>resolved</c> (no errors), <c>rejected</c> (no successes) or <c>partial</c>.
/// </summary>
internal static class BatchJobSettlement
{
    /// <summary>
    /// Counts a task's move from <paramref name="from"/> to <paramref name="to"/> (a finished task never moves
    /// again) and settles the job's status; <paramref name="now"/> becomes its <c>finishAt</c> when this was its
    /// last task.
    /// </summary>
    public static void Count(BatchJobRecord job, string from, string to, long now)
    {
        if (!BatchStatus.IsFinished(from) && BatchStatus.IsFinished(to))
        {
            job.FinishCount++;
            job.ErrorCount += to == BatchStatus.Resolved ? 0 : 1;
        }

        Settle(job, started: to != BatchStatus.Pending, now);
    }

    /// <summary>
    /// The status of a job from its counts; <paramref name="started"/>: a task has left <c>pending</c> (the status
    /// stays <c>dispatching</c> once it is).
    /// </summary>
    public static void Settle(BatchJobRecord job, bool started, long now)
    {
        if (job.FinishCount < job.TotalCount)
        {
            job.Status = started || job.Status == BatchStatus.Dispatching || job.FinishCount > 0
                ? BatchStatus.Dispatching
                : BatchStatus.Pending;
            return;
        }

        job.Status = job.ErrorCount == 0 ? BatchStatus.Resolved
            : job.ErrorCount == job.FinishCount ? BatchStatus.Rejected
            : BatchStatus.Partial;
        job.FinishAt ??= now;
    }
}
