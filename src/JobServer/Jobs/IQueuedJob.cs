namespace JobServer.Jobs;

/// <summary>What the <see cref="JobQueue{T}"/> needs of a job: its id (arrival order) and its lock.</summary>
internal interface IQueuedJob
{
    long Id { get; }

    string? LockName { get; }
}
