namespace JobServer.Audit;

/// <summary>
/// Which calls the audit log records: those that may change state. A method is taken to change state unless its
/// last name part says it reads — <c>query</c>, <c>get_instance</c>, <c>config</c>, <c>get</c>, anything starting
/// <c>get_</c> — or it is one of the few built-ins that only read or act on the caller's own connection
/// (<c>core.ping</c>, <c>core.version</c>, <c>core.job_wait</c>, <c>core.subscribe</c>, …). Sign-ins
/// (<c>auth.login*</c>) are recorded by the sign-in guard itself, whatever door they came through. A plugin's
/// method named like a read is taken at its word; every other plugin method is recorded.
/// </summary>
/// <remarks>
/// A device agent's per-task telemetry (<see cref="IsAgentTelemetry"/>) changes state but is not a security event:
/// it is recorded only when refused. Who created or canceled the batch job, and which key registered as which
/// destination, are recorded; the task's own history is in the batch database.
/// </remarks>
internal static class AuditedMethods
{
    private static readonly HashSet<string> ReadingShortNames = new(StringComparer.Ordinal)
    {
        "query", "get_instance", "config", "get",
    };

    private static readonly HashSet<string> ReadingMethods = new(StringComparer.Ordinal)
    {
        "core.ping", "core.version", "core.job_wait", "core.subscribe", "core.unsubscribe", "core.set_options",
        "auth.me", "auth.mechanism_choices", "auth.sessions", "filesystem.listdir", "filesystem.stat",
    };

    /// <summary>
    /// A device agent's answers about one task (<c>batch.agent.ack</c>, <c>progress</c>, <c>result</c>): up to three
    /// calls per task, thousands a second in a fan-out, each already stored with the task it changes. Recording
    /// them succeeded would fill the audit table (and push real events past its <c>MaxRows</c>) with telemetry.
    /// </summary>
    private static readonly HashSet<string> AgentTelemetry = new(StringComparer.Ordinal)
    {
        "batch.agent.ack", "batch.agent.progress", "batch.agent.result",
    };

    /// <summary>Whether the call is recorded, as it ended (<paramref name="failed"/>: refused or failed).</summary>
    public static bool IsRecorded(string method, bool failed) =>
        ChangesState(method) && (failed || !IsAgentTelemetry(method));

    public static bool IsAgentTelemetry(string method) => AgentTelemetry.Contains(method);

    public static bool ChangesState(string method)
    {
        if (ReadingMethods.Contains(method))
        {
            return false;
        }

        var shortName = method.AsSpan(method.LastIndexOf('.') + 1);
        return !(shortName.StartsWith("get_") || shortName.StartsWith("login") ||
                 ReadingShortNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(shortName));
    }
}
