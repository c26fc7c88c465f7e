namespace JobServer.Workers;

/// <summary>Worker processes for <c>[Job(Process = true)]</c> bodies (<c>JobServer:Workers</c>).</summary>
internal sealed class WorkersOptions
{
    public const string Section = "JobServer:Workers";

    /// <summary>
    /// Warm workers kept ready, so a process job starts in milliseconds rather than after the runtime's cold start.
    /// Started with the daemon when any process job method is registered; 0 starts workers only on demand.
    /// </summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>Most workers at once (busy or idle); a process job beyond waits for a worker.</summary>
    public int MaxWorkers { get; set; } = 16;

    /// <summary>How long a worker beyond <see cref="PoolSize"/> stays idle before it is stopped.</summary>
    public double IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Jobs one worker runs before it is replaced by a fresh one (leaks of a plugin stay bounded); 0: no limit.</summary>
    public int MaxJobsPerWorker { get; set; } = 10_000;

    /// <summary>
    /// A worker's memory limit in MiB, applied as the runtime's heap hard limit (<c>DOTNET_GCHeapHardLimit</c>): a
    /// job that needs more fails with ENOMEM "Out of memory" and its worker is replaced. 0: no limit.
    /// </summary>
    public int MemoryLimitMb { get; set; } = 1024;

    /// <summary>How long a new worker may take to report ready.</summary>
    public double StartTimeoutSeconds { get; set; } = 30;

    public bool IsValid(out string problem)
    {
        problem = (PoolSize, MaxWorkers, IdleTimeoutSeconds, MaxJobsPerWorker, MemoryLimitMb, StartTimeoutSeconds) switch
        {
            _ when PoolSize < 0 => "JobServer:Workers:PoolSize must be 0 or more",
            _ when MaxWorkers < 1 => "JobServer:Workers:MaxWorkers must be 1 or more",
            _ when PoolSize > MaxWorkers => "JobServer:Workers:PoolSize cannot exceed JobServer:Workers:MaxWorkers",
            _ when IdleTimeoutSeconds <= 0 => "JobServer:Workers:IdleTimeoutSeconds must be more than 0",
            _ when MaxJobsPerWorker < 0 => "JobServer:Workers:MaxJobsPerWorker must be 0 (no limit) or more",
            _ when MemoryLimitMb is < 0 or (> 0 and < 32) => "JobServer:Workers:MemoryLimitMb must be 0 (no limit) or at least 32",
            _ when StartTimeoutSeconds <= 0 => "JobServer:Workers:StartTimeoutSeconds must be more than 0",
            _ => "",
        };
        return problem.Length == 0;
    }
}
