namespace JobServer.Services.Exec;

/// <summary>
/// A child process as the data directory remembers it while it runs: its pid, its start time (clock ticks since
/// boot, <c>/proc/&lt;pid&gt;/stat</c> field 22, so that a pid reused by another process is never taken for it)
/// and the job it belongs to.
/// </summary>
internal sealed record ChildRecord(int ProcessId, ulong StartTime, long JobId);
