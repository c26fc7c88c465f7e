using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Batch;

/// <summary>
/// A task's life on its agent: offered (<c>pending → sent</c>), acknowledged (<c>sent → running</c>), progress,
/// and its result (<c>resolved</c> for a 2xx status, else <c>rejected</c>). Every change is made in the
/// <see cref="BatchLedger"/> and answered once it is stored, so an acknowledged result survives a crash. An agent
/// reaches only tasks of its own destination; another's task reads as one that does not exist.
/// </summary>
internal sealed class BatchAgentTasks(IDbContextFactory<BatchDbContext> databases, BatchLedger ledger)
{
    /// <summary>A change nobody awaits: <see cref="BatchWriter"/> logs its failure; observed here so it is not unobserved.</summary>
    private static void ObserveFailure(Task stored) =>
        stored.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// The destination's first unfinished task, in id order (the order it was given), marked <c>sent</c> when it
    /// was still <c>pending</c>; null when none is left. A <c>sent</c> or <c>running</c> one is answered as it is:
    /// it was offered before and never answered, so it is offered again.
    /// </summary>
    /// <remarks>
    /// The mark is queued, not awaited, before the task is pushed: if the daemon dies before it is stored, the task
    /// is still unfinished in the database and offered again, which the agent's memory answers without performing
    /// it twice. Each commit a task waits for costs a whole fsync per destination in turn.
    /// </remarks>
    public (long Id, JsonObject Task)? Next(string destination)
    {
        if (ledger.Offer(destination) is not { } next)
        {
            return null;
        }

        ObserveFailure(next.Stored);
        return (next.Id, next.Task);
    }

    /// <summary>
    /// <c>sent → running</c>; true while the task is still to be performed (false: finished, skip it). Answered
    /// once queued, like <see cref="Next"/>: losing it in a crash only offers the task again.
    /// </summary>
    public Task<bool> AcknowledgeAsync(string destination, long taskId, CancellationToken cancellationToken) =>
        ChangeTaskAsync(destination, taskId, task => task.Status = BatchStatus.Running, finishes: false, cancellationToken);

    /// <summary>Stores the task's progress (0–100); true while the task is unfinished. Answered once queued (advisory).</summary>
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
        }, finishes: false, cancellationToken);
    }

    /// <summary>
    /// Finishes the task with the device's answer <c>{status, body}</c>: a 2xx status resolves it, any other
    /// rejects it; both keep the answer as the task's <c>result</c>. Answered only once stored: an acknowledged
    /// result survives a crash of the daemon. False when the task had already finished
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
        }, finishes: true, cancellationToken);
    }

    private async Task<bool> ChangeTaskAsync(string destination, long taskId, Action<BatchTaskRecord> change,
        bool finishes, CancellationToken cancellationToken)
    {
        if (ledger.TryChange(destination, taskId, change, finishes) is { } stored)
        {
            if (finishes)
            {
                await stored;
            }
            else
            {
                ObserveFailure(stored);
            }

            return true;
        }

        // Not unfinished: finished already (the answer is dropped), or not this destination's task at all.
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var exists = await db.Tasks.AsNoTracking().AnyAsync(t => t.Id == taskId && t.Destination == destination, cancellationToken);
        return exists ? false : throw new InstanceNotFoundException($"Task {taskId} does not exist for destination {destination}");
    }
}
