using System.Text.Json.Nodes;

namespace JobServer.Batch;

/// <summary>
/// A job's state right after one committed change, as its watchers receive it: immutable, so one snapshot is
/// shared by every watcher (no copy per watcher), and it becomes the seed's job object only where one is sent
/// (<see cref="ToJson"/>). <see cref="TaskIds"/> is the job's own id list, which never changes.
/// </summary>
internal sealed record BatchJobSnapshot(
    long Id, long CreatedAt, long? FinishAt, long? Timeout, string Status, int TotalCount, int FinishCount, int ErrorCount,
    IReadOnlyList<long> TaskIds)
{
    public static BatchJobSnapshot Of(BatchJobRecord job, IReadOnlyList<long> taskIds) => new(
        job.Id, job.CreatedAt, job.FinishAt, job.Timeout, job.Status, job.TotalCount, job.FinishCount, job.ErrorCount, taskIds);

    public int Progress => BatchJobView.Progress(FinishCount, TotalCount);

    public bool IsFinal => BatchStatus.IsFinal(Status);

    /// <summary>The seed's job object, <c>collection</c> holding the task ids (as <see cref="BatchJobView.Job"/>).</summary>
    public JsonObject ToJson() => BatchJobView.Job(this);
}
