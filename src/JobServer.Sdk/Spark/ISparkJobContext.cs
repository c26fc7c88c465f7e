namespace JobServer.Sdk.Spark;

/// <summary>
/// What a Spark job sees of its run (spark-jobserver's <c>JobEnvironment</c>): its ids and context name, and the
/// daemon's own job context for progress, log and the abort token.
/// </summary>
public interface ISparkJobContext
{
    /// <summary>The spark job id callers see (<c>jobId</c> in the reports).</summary>
    string JobId { get; }

    /// <summary>The context the job runs in, <c>&lt;&lt;ad-hoc&gt;&gt;</c>-style for a fresh one.</summary>
    string ContextName { get; }

    /// <summary>The daemon's job context: <see cref="IJobContext.SetProgress"/>, <see cref="IJobContext.Log"/>,
    /// <see cref="IJobContext.Aborted"/> (cancelled by <c>DELETE /jobs/&lt;id&gt;</c> or <c>core.job_abort</c>).</summary>
    IJobContext Job { get; }
}
