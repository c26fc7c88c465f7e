namespace JobServer.Dispatch;

/// <summary>What a call of a job method answers.</summary>
internal enum JobHandling
{
    /// <summary>The job's id, once the job is durable (DDP; JSON-RPC with <c>legacy_jobs: true</c>; transfers).</summary>
    AnswerId,

    /// <summary>
    /// The job's outcome once it ended (JSON-RPC <c>legacy_jobs: false</c>, reference §2.6): its result, its error
    /// as the call's own, or null for an aborted job.
    /// </summary>
    AwaitOutcome,

    /// <summary>The job's result as <c>core.job_wait</c> gives it: an aborted job is an error (<c>core.bulk</c>).</summary>
    AwaitResult,
}
