namespace JobServer.Batch;

/// <summary>A task's changing columns as they are after a change: writing the same row twice is harmless.</summary>
internal readonly record struct BatchTaskRow(long Id, string Status, int Progress, long? FinishAt, string? Result)
{
    public static BatchTaskRow Of(BatchTaskRecord task) => new(task.Id, task.Status, task.Progress, task.FinishAt, task.Result);
}

/// <summary>A job's changing columns as they are after a change.</summary>
internal readonly record struct BatchJobRow(long Id, string Status, int FinishCount, int ErrorCount, long? FinishAt)
{
    public static BatchJobRow Of(BatchJobRecord job) => new(job.Id, job.Status, job.FinishCount, job.ErrorCount, job.FinishAt);
}

/// <summary>
/// One change for <see cref="BatchWriter"/>: a new job with its tasks, a job to delete, or rows to update; then
/// what to publish once it is committed (<see cref="Published"/>, and the destinations whose next task may now be
/// due). <see cref="Committed"/> completes after that, or fails when the change could not be stored.
/// </summary>
internal sealed class BatchWrite
{
    private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BatchJobRecord? Insert { get; init; }

    public long? Delete { get; init; }

    public IReadOnlyList<BatchTaskRow> Tasks { get; init; } = [];

    public BatchJobRow? Job { get; init; }

    public BatchJobSnapshot? Published { get; init; }

    public IReadOnlyCollection<string> FreedDestinations { get; init; } = [];

    /// <summary>
    /// Tasks pushed to an agent and finished without its answer (canceled, timed out), by destination (one in
    /// flight per destination): the agent is told to abort it. Each destination is also in <see cref="FreedDestinations"/>.
    /// </summary>
    public IReadOnlyDictionary<string, long> Withdrawn { get; init; } = EmptyWithdrawn;

    private static readonly IReadOnlyDictionary<string, long> EmptyWithdrawn = new Dictionary<string, long>();

    public Task Committed => _committed.Task;

    public void Succeed() => _committed.TrySetResult();

    public void Fail(Exception error) => _committed.TrySetException(error);
}
