namespace JobServer.Calls;

/// <summary>
/// The seam between the protocols and the job engine for JSON-RPC's new-style jobs (<c>legacy_jobs: false</c>,
/// reference §2.6): the call is answered with the job's outcome instead of its id. The job engine
/// (<see cref="Jobs.JobManager"/>) implements it.
/// </summary>
internal interface IJobAwaiter
{
    /// <summary>
    /// Completes when the job ends: <see cref="CallOutcome.Success"/> with its result (null and
    /// <c>typeof(void)</c> for an aborted job) or <see cref="CallOutcome.Failure"/> with its error (type
    /// <c>VALIDATION</c> for a validation failure, which JSON-RPC answers as -32602). Cancelled when the caller's
    /// connection closes; the job itself keeps running.
    /// </summary>
    Task<CallOutcome> WaitForOutcomeAsync(long jobId, CancellationToken cancellationToken);
}
