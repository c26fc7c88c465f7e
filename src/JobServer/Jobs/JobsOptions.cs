namespace JobServer.Jobs;

/// <summary>Job engine settings (<c>JobServer:Jobs</c>).</summary>
internal sealed class JobsOptions
{
    public const string Section = "JobServer:Jobs";

    /// <summary>Jobs running at once; 0 means no limit (middlewared's behaviour).</summary>
    public int MaxRunning { get; set; }

    /// <summary>How long an aborted job may ignore its cancellation before it is marked ABORTED anyway.</summary>
    public double AbortGraceSeconds { get; set; } = 10;

    /// <summary>
    /// How long a graceful stop (SIGTERM, Ctrl-C) lets running jobs finish before it aborts them as
    /// "Daemon shutting down"; waiting jobs stay WAITING and run after the next start.
    /// </summary>
    public double ShutdownGraceSeconds { get; set; } = 10;

    /// <summary>Smallest interval between two progress events of one job.</summary>
    public int ProgressIntervalMilliseconds { get; set; } = 250;

    /// <summary>Start value of <c>system.general.job_retention_days</c>: finished jobs older than this are deleted…</summary>
    public int RetentionDays { get; set; } = 7;

    /// <summary>…and of <c>job_retention_count</c>: except the newest this many, which are always kept.</summary>
    public int RetentionCount { get; set; } = 1000;

    /// <summary>SQLite <c>synchronous</c> for job writes: FULL (durable on power loss) or NORMAL (durable on crash).</summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>
    /// Unfinished (waiting or running) jobs one user may have; beyond, a call that would create a job is refused
    /// with EBUSY. FULL_ADMIN callers are exempt (they may run any command anyway). 0 means no limit.
    /// </summary>
    public int MaxUnfinishedJobsPerUser { get; set; } = 100;

    /// <summary>Most parameter lists one <c>core.bulk</c> call may carry.</summary>
    public int MaxBulkItems { get; set; } = 1000;

    /// <summary>Most job changes committed in one transaction.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// Most job changes queued for the writer; beyond, whoever queues one waits for room (a flood of submissions is
    /// slowed down instead of growing memory without limit).
    /// </summary>
    public int WriterQueueCapacity { get; set; } = 8192;

    /// <summary>How often a commit that failed with a transient database error (busy, locked, disk full, I/O) is retried.</summary>
    public int WriteRetries { get; set; } = 6;

    /// <summary>The wait before the first retry; each later one waits twice as long (with jitter, at most 5 s).</summary>
    public int WriteRetryDelayMilliseconds { get; set; } = 100;
}
