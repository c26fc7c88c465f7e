namespace JobServer.Audit;

/// <summary>The audit log (<c>JobServer:Audit</c>).</summary>
internal sealed class AuditOptions
{
    public const string Section = "JobServer:Audit";

    /// <summary>Stored events older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>At most this many events are kept; the oldest go first.</summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>
    /// Events waiting to be stored; beyond, an event is logged but not stored (and counted in
    /// <c>jobserver.audit.dropped</c>): a flood of calls must not grow memory or hold up the calls.
    /// </summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>
    /// A credential's successful sign-ins from one address through an HTTP door (which signs in on every request)
    /// are recorded once per this many seconds (<see cref="RepeatedSignIns"/>); 0 records every one.
    /// </summary>
    public int RepeatedSignInSeconds { get; set; } = 60;

    public bool IsValid => RetentionDays >= 1 && MaxRows >= 1 && QueueCapacity >= 1 &&
                           RepeatedSignInSeconds is >= 0 and <= 86_400;
}
