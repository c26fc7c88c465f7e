namespace JobServer.Batch;

/// <summary>
/// A job's counts and status, recomputed from its tasks after every change: <c>finishCount</c> counts finished
/// tasks, <c>errorCount</c> those that did not succeed (rejected, timed out, canceled). The job is
/// <c>pending</c> until a task leaves <c>pending</c>, then <c>dispatching</c>; once every task finished it is
/// <c>resolved</c> (no errors), <c>rejected</c> (no successes) or <c>partial</c>.
/// </summary>
internal static class BatchJobSettlement
{
    public static void Settle(BatchJobRecord job, long now)
    {
        var finished = 0;
        var errors = 0;
        var started = false;
        foreach (var task in job.Tasks)
        {
            started |= task.Status != BatchStatus.Pending;
            if (BatchStatus.IsFinished(task.Status))
            {
                finished++;
                errors += task.Status == BatchStatus.Resolved ? 0 : 1;
            }
        }

        job.FinishCount = finished;
        job.ErrorCount = errors;
        if (finished < job.TotalCount)
        {
            job.Status = started ? BatchStatus.Dispatching : BatchStatus.Pending;
            return;
        }

        job.Status = errors == 0 ? BatchStatus.Resolved : errors == finished ? BatchStatus.Rejected : BatchStatus.Partial;
        job.FinishAt ??= now;
    }
}
