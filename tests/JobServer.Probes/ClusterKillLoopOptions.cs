namespace JobServer.Probes;

/// <summary>The size of a <see cref="ClusterKillLoop"/> run.</summary>
public sealed record ClusterKillLoopOptions
{
    /// <summary>A connection string of a PostgreSQL user who may create databases: the run gets one of its own.</summary>
    public required string Server { get; init; }

    /// <summary>How many times a node is killed with SIGKILL (the two nodes take turns).</summary>
    public int Kills { get; init; } = 100;

    /// <summary>Clients submitting jobs to each node; each waits for its job before the next.</summary>
    public int SubmittersPerNode { get; init; } = 2;

    /// <summary>The locks each node's jobs share.</summary>
    public int LocksPerNode { get; init; } = 2;

    /// <summary>How long each job's process holds its lock (a shell's <c>sleep</c>).</summary>
    public string JobSleepSeconds { get; init; } = "0.2";

    /// <summary>A node runs between this and <see cref="MaxRunBeforeKill"/> after it is up, then dies.</summary>
    public TimeSpan MinRunBeforeKill { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRunBeforeKill { get; init; } = TimeSpan.FromMilliseconds(2000);

    /// <summary>The nodes' <c>JobServer:Cluster:HeartbeatInterval</c> and <c>NodeTimeout</c>: the defaults (2 s, 7 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>The promise: a dead node's running jobs are failed within this of its death.</summary>
    public TimeSpan FailoverBound { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seeds the kill points and the submitters' lock choices.</summary>
    public int Seed { get; init; } = 12;

    /// <summary>How long the jobs left at the end may take to finish before they count as stuck.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
