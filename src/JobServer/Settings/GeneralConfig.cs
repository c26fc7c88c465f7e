namespace JobServer.Settings;

/// <summary>
/// The daemon's run-time settings (<c>system.general</c>), stored as one JSON document in the settings table.
/// Defaults come from the configuration the daemon started with.
/// </summary>
internal sealed record GeneralConfig
{
    /// <summary>Finished jobs older than this many days are removed.</summary>
    public int JobRetentionDays { get; init; } = 7;

    /// <summary>At most this many finished jobs are kept.</summary>
    public int JobRetentionCount { get; init; } = 1000;

    /// <summary>The minimum level logged: Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    public string LogLevel { get; init; } = "Information";

    /// <summary>The largest message an unauthenticated connection may send.</summary>
    public int AnonymousMessageBytes { get; init; } = 8192;

    /// <summary>Calls of one no-auth method an unauthenticated client address may make per window; 0 turns the
    /// limit off.</summary>
    public int AnonymousRateLimit { get; init; } = 20;

    /// <summary>The length of the rate-limit window in seconds.</summary>
    public int AnonymousRateWindowSeconds { get; init; } = 60;
}
