namespace JobServer.Probes;

/// <summary>The size of a <see cref="KillLoop"/> run.</summary>
public sealed record KillLoopOptions
{
    /// <summary>How many times the daemon is killed with SIGKILL (and restarted on the same data directory).</summary>
    public int Kills { get; init; } = 100;

    /// <summary>Clients submitting jobs at once; each waits for its job before the next (fewer waiters per lock than
    /// <c>LockQueueSize</c>, so no call is folded into another's job and every answer is a job of its own).</summary>
    public int Submitters { get; init; } = 4;

    /// <summary>The locks the jobs share (<c>exec:kill-loop-&lt;n&gt;</c>).</summary>
    public int Locks { get; init; } = 3;

    /// <summary>The daemon runs between this and <see cref="MaxRunBeforeKill"/> after it is up, then dies.</summary>
    public TimeSpan MinRunBeforeKill { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan MaxRunBeforeKill { get; init; } = TimeSpan.FromMilliseconds(2000);

    /// <summary>How long each job's process holds its lock (a shell's <c>sleep</c>).</summary>
    public string JobSleepSeconds { get; init; } = "0.1";

    /// <summary>Seeds the kill points.</summary>
    public int Seed { get; init; } = 12;

    /// <summary>How long the jobs left at the end may take to finish before they count as stuck.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
