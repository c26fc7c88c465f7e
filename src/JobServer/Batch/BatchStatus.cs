namespace JobServer.Batch;

/// <summary>
/// The statuses of the issue, as they appear on the wire. A job: <c>pending → dispatching → resolved</c> (every
/// task succeeded) <c>| rejected</c> (none did) <c>| partial</c>. A task: <c>pending → sent → running →
/// resolved | rejected | timeout | canceled</c>. The original puppetmaster said <c>resolved</c> even when every
/// task failed (reference §2.2); here the job's final status tells.
/// </summary>
internal static class BatchStatus
{
    public const string Pending = "pending";
    public const string Dispatching = "dispatching";
    public const string Sent = "sent";
    public const string Running = "running";
    public const string Resolved = "resolved";
    public const string Rejected = "rejected";
    public const string Partial = "partial";
    public const string Timeout = "timeout";
    public const string Canceled = "canceled";

    public static readonly IReadOnlyList<string> JobStatuses = [Pending, Dispatching, Resolved, Rejected, Partial];

    /// <summary>Whether a task in this status has finished (it counts in <c>finishCount</c>).</summary>
    public static bool IsFinished(string taskStatus) =>
        taskStatus is Resolved or Rejected or Timeout or Canceled;

    /// <summary>Whether a finished job has this status.</summary>
    public static bool IsFinal(string jobStatus) => jobStatus is Resolved or Rejected or Partial;
}
