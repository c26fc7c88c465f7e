namespace JobServer.Jobs;

/// <summary>A job's life: WAITING → RUNNING → SUCCESS | FAILED | ABORTED (a waiting job may be aborted too).</summary>
internal enum JobState
{
    Waiting = 1,
    Running = 2,
    Success = 3,
    Failed = 4,
    Aborted = 5,
}

internal static class JobStateExtensions
{
    public static bool IsFinished(this JobState state) => state >= JobState.Success;

    public static string WireName(this JobState state) => state switch
    {
        JobState.Waiting => "WAITING",
        JobState.Running => "RUNNING",
        JobState.Success => "SUCCESS",
        JobState.Failed => "FAILED",
        _ => "ABORTED",
    };
}
