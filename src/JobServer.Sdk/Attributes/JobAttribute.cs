namespace JobServer.Sdk;

/// <summary>
/// Marks a method as a job: the call answers at once with a job id and the method runs on the job queue. The
/// method's first parameter must be an <see cref="IJobContext"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class JobAttribute : Attribute
{
    /// <summary>
    /// The shared lock: a fixed name, or a template over the call's arguments such as <c>"exec:{0}"</c> or
    /// <c>"copy:{1}"</c>, resolved when the call arrives. Jobs holding the same lock run one at a time in
    /// arrival order. <value>The default is no lock.</value>
    /// </summary>
    public string? Lock { get; set; }

    /// <summary>
    /// When this many jobs already wait on the lock, a call identical to a waiting one (same method, equal arguments,
    /// same owner) gets that job instead of a new one, and any other call is refused with EBUSY ("lock queue full").
    /// 0 means no limit. <value>The default is 5.</value>
    /// </summary>
    public int LockQueueSize { get; set; } = 5;

    /// <summary>Whether the job writes a log file, exposed as <c>logs_path</c>. <value>The default is false.</value></summary>
    public bool Logs { get; set; }

    /// <summary>The pipes the job reads or writes. <value>The default is none.</value></summary>
    public JobPipes Pipes { get; set; }

    /// <summary>
    /// Whether a call must supply every declared pipe (middlewared's <c>check_pipes</c>). A job whose pipes are
    /// optional (it checks <see cref="IJobContext.HasInput"/> itself) sets this to false.
    /// <value>The default is true.</value>
    /// </summary>
    public bool CheckPipes { get; set; } = true;

    /// <summary>Informational flag shown to clients: whether aborting makes sense. <value>The default is false.</value></summary>
    public bool Abortable { get; set; }

    /// <summary>
    /// Whether the body runs in a worker process rather than in the daemon (middlewared's <c>process=True</c>): a
    /// crash, <see cref="Environment.FailFast(string)"/>, a stack overflow or a runaway allocation then fails only
    /// this job. The service is created again in the worker (its constructor may take only an
    /// <c>ILogger&lt;T&gt;</c>, an <c>ILoggerFactory</c> or a <see cref="TimeProvider"/>); the job reaches other
    /// services through <see cref="IJobContext.CallAsync"/>, as its caller. <value>The default is false.</value>
    /// </summary>
    public bool Process { get; set; }

    /// <summary>
    /// Whether a job that was RUNNING when the daemon stopped runs its body again after the restart, under the same
    /// id, instead of ending FAILED ("Daemon stopped while the job was running"). Only for bodies that follow state
    /// kept elsewhere and may start over (a batch job's <c>batch.run</c>). <value>The default is false.</value>
    /// </summary>
    public bool Resumable { get; set; }

    /// <summary>Transient jobs are not kept after they finish. <value>The default is false.</value></summary>
    public bool Transient { get; set; }

    /// <summary>A description template over the call's arguments, such as <c>"Copy {0} to {1}"</c>.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// A type implementing <see cref="ICallValidator"/> that checks a call before its job is created: a call it
    /// refuses answers a validation error and creates no job. <value>The default is none.</value>
    /// </summary>
    public Type? Validator { get; set; }
}
