namespace JobServer.Observability.Health;

/// <summary>Readiness settings (<c>JobServer:Health</c>).</summary>
internal sealed class HealthOptions
{
    public const string Section = "JobServer:Health";

    /// <summary>
    /// How long the job writer may take to commit what is queued before <c>/readyz</c> calls it stuck. The writer
    /// retries transient failures for several seconds on its own, so this should stay above a few of its retries.
    /// </summary>
    public double WriterTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long a probe's answer is reused. <c>/readyz</c> is anonymous: without this, a flood of probes would each
    /// take the database's write lock and contend with the job writer.
    /// </summary>
    public int ReuseMilliseconds { get; set; } = 1000;

    public bool IsValid => WriterTimeoutSeconds > 0 && ReuseMilliseconds >= 0;
}
