using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Batch;

/// <summary>
/// A task's life on its agent: offered (<c>pending → sent</c>), acknowledged (<c>sent → running</c>), progress,
/// and its result (<c>resolved</c> for a 2xx status, else <c>rejected</c>). Every change goes through
/// <see cref="BatchJobs.ChangeJobAsync"/>, so it is stored, settles the job and reaches its watchers. An agent
/// reaches only tasks of its own destination; another's task reads as one that does not exist.
/// </summary>
internal sealed class BatchAgentTasks(IDbContextFactory<BatchDbContext> databases, BatchJobs jobs)
{
    /// <summary>
    /// The destination's first unfinished task, in id order (the order it was given), marked <c>sent</c> when it
    /// was still <c>pending</c>; null when none is left. A <c>sent</c> or <c>running</c> one is answered as it is:
    /// it was offered before and never answered, so it is offered again.
    /// </summary>
    public async Task<BatchTaskRecord?> NextAsync(string destination, CancellationToken cancellationToken)
    {
        long? id;
        long jobId;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var next = await db.Tasks.AsNoTracking()
                .Where(t => t.Destination == destination &&
                            (t.Status == BatchStatus.Pending || t.Status == BatchStatus.Sent || t.Status == BatchStatus.Running))
                .OrderBy(t => t.Id).Select(t => new { t.Id, t.JobId }).FirstOrDefaultAsync(cancellationToken);
            if (next is null)
            {
                return null;
            }

            (id, jobId) = (next.Id, next.JobId);
        }

        BatchTaskRecord? offered = null;
        await jobs.ChangeJobAsync(jobId, (job, _) =>
        {
            var task = job.Tasks.Single(t => t.Id == id);
            offered = BatchStatus.IsFinished(task.Status) ? null : task;
            if (task.Status != BatchStatus.Pending)
            {
                return false;
            }

            task.Status = BatchStatus.Sent;
            return true;
        }, cancellationToken);
        // Finished between the query and the change (a cancel, a timeout): look again.
        return offered ?? await NextAsync(destination, cancellationToken);
    }

    /// <summary><c>sent → running</c>; true while the task is still to be performed (false: finished, skip it).</summary>
    public Task<bool> AcknowledgeAsync(string destination, long taskId, CancellationToken cancellationToken) =>
        ChangeTaskAsync(destination, taskId, task =>
        {
            task.Status = BatchStatus.Running;
            return true;
        }, cancellationToken);

    /// <summary>Stores the task's progress (0–100); true while the task is unfinished.</summary>
    public Task<bool> ReportProgressAsync(string destination, long taskId, int percent, CancellationToken cancellationToken)
    {
        if (percent is < 0 or > 100)
        {
            throw new ValidationException("percent", "Must be from 0 to 100");
        }

        return ChangeTaskAsync(destination, taskId, task =>
        {
            task.Status = BatchStatus.Running;
            task.Progress = percent;
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Finishes the task with the device's answer <c>{status, body}</c>: a 2xx status resolves it, any other
    /// rejects it; both keep the answer as the task's <c>result</c>. False when the task had already finished
    /// (canceled, timed out, or answered before): the answer is then dropped, so a repeated one changes nothing.
    /// </summary>
    public Task<bool> FinishAsync(string destination, long taskId, JsonObject answer, CancellationToken cancellationToken)
    {
        var status = answer["status"] is JsonValue value && value.TryGetValue<int>(out var code) ? code : 0;
        if (status is < 100 or > 599)
        {
            throw new ValidationException("result.status", "Must be the device's HTTP status, from 100 to 599");
        }

        var result = new JsonObject { ["status"] = status, ["body"] = answer["body"]?.DeepClone() }.ToJsonString();
        return ChangeTaskAsync(destination, taskId, task =>
        {
            task.Status = status is >= 200 and < 300 ? BatchStatus.Resolved : BatchStatus.Rejected;
            task.Progress = 100;
            task.Result = result;
            return true;
        }, cancellationToken, finishes: true);
    }

    private async Task<bool> ChangeTaskAsync(string destination, long taskId, Func<BatchTaskRecord, bool> change,
        CancellationToken cancellationToken, bool finishes = false)
    {
        long? jobId;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            jobId = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId && t.Destination == destination)
                .Select(t => (long?)t.JobId).SingleOrDefaultAsync(cancellationToken);
        }

        if (jobId is null)
        {
            throw new InstanceNotFoundException($"Task {taskId} does not exist for destination {destination}");
        }

        var live = false;
        await jobs.ChangeJobAsync(jobId.Value, (job, now) =>
        {
            var task = job.Tasks.Single(t => t.Id == taskId);
            live = !BatchStatus.IsFinished(task.Status);
            if (!live)
            {
                return false;
            }

            if (finishes)
            {
                task.FinishAt = now;
            }

            return change(task);
        }, cancellationToken);
        return live;
    }
}
