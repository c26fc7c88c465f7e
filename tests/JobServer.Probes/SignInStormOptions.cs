namespace JobServer.Probes;

/// <summary>The size and credentials of a <see cref="SignInStorm"/> run.</summary>
public sealed record SignInStormOptions
{
    /// <summary>Clients signing in at once (half DDP, half JSON-RPC).</summary>
    public int Clients { get; init; } = 300;

    public string Username { get; init; } = "root";

    public required string Password { get; init; }

    /// <summary>How long a client may take, retries included, before it counts as a violation.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Seeds the clients' retry jitter.</summary>
    public int Seed { get; init; } = 12;

    /// <summary>The daemon's resident memory in bytes (its <c>VmRSS</c>), or null to skip the memory check.</summary>
    public Func<long?>? DaemonResidentBytes { get; init; }

    /// <summary>How much the daemon's resident memory may grow from before the storm to after it.</summary>
    public long MemoryBudgetBytes { get; init; } = 64L * 1024 * 1024;
}
