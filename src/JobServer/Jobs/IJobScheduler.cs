namespace JobServer.Jobs;

/// <summary>
/// Decides when jobs start: admission (the lock queue's size, folding a repeated call into a waiting job, the
/// per-user quota), FIFO per named lock with overtaking by jobs whose lock is free, and the global cap on running
/// jobs. It never runs anything: it hands jobs that may start to the <see cref="IJobStarter"/> the manager
/// attached, and the manager starts them. <see cref="InMemoryJobScheduler"/> implements it today.
/// </summary>
/// <remarks>
/// <para>
/// Starts are pushed, not returned: a scheduler may call <see cref="IJobStarter.StartJob"/> at any time and from
/// any thread — inside one of the calls below (a finished job frees its lock for the next), or on its own. The next
/// implementation, for several daemons on one PostgreSQL database, claims jobs in SQL
/// (<c>FOR UPDATE SKIP LOCKED</c>) from a loop of its own, holds named locks and leases in the database, and may
/// learn that another node started or finished a job; it hands this node's claims to the starter just the same.
/// Nothing in the manager assumes a start follows one of its own calls.
/// </para>
/// <para>
/// Calls are made in a job's order: <see cref="Admit"/>, then <see cref="Create"/>, then <see cref="Enqueue"/>
/// (only when <see cref="Create"/> returned false) once the creation committed, then <see cref="Release"/> once.
/// <see cref="IJobStarter.StartJob"/> must not be called with a scheduler lock held: it re-enters the manager.
/// </para>
/// </remarks>
internal interface IJobScheduler
{
    /// <summary>Where jobs that may start are handed; set once by the manager before any job exists.</summary>
    void Attach(IJobStarter starter);

    /// <summary>
    /// Admits a new call: null when it may create a job (its owner's quota is reserved until
    /// <see cref="Release"/>, <see cref="Withdraw"/> or <see cref="CancelAdmission"/>), or the waiting job that the
    /// very same call joins when the lock queue is full. Throws a <c>CallError</c> (EBUSY) when the lock queue is
    /// full of other calls or the owner has too many unfinished jobs.
    /// </summary>
    Job? Admit(in JobAdmission admission);

    /// <summary>An admitted call made no job after all (its id could not be allocated): frees the reservation.</summary>
    void CancelAdmission(string? owner);

    /// <summary>
    /// The admitted call's job exists. True when it starts at once — nothing makes it wait, so it holds its lock and
    /// a running slot from now on and the manager commits its creation and its start as one change; false when it
    /// waits, to be <see cref="Enqueue"/>d once its creation committed (until then no new job starts at once: it
    /// could overtake this one on its lock).
    /// </summary>
    bool Create(Job job);

    /// <summary>The creation of a job that did not start at once committed: it joins the queue.</summary>
    void Enqueue(Job job);

    /// <summary>The creation of a job that did not start at once failed: it never joins the queue.</summary>
    void Withdraw(Job job);

    /// <summary>A job left WAITING by the previous run, in id order at start: counted and queued again.</summary>
    void Restore(Job job);

    /// <summary>Whether the job waits (admitted and queued, not handed to the starter yet).</summary>
    bool IsWaiting(Job job);

    /// <summary>
    /// The job is done with: finished, aborted while waiting, or a start-at-once creation that failed. Frees its
    /// lock, running slot and quota and hands on the jobs that may start now. Called once per job.
    /// </summary>
    void Release(Job job);
}

/// <summary>What the scheduler hands jobs that may start to: the <see cref="JobManager"/>.</summary>
internal interface IJobStarter
{
    /// <summary>
    /// Starts a job the scheduler let go: WAITING becomes RUNNING (unless it was aborted meanwhile) and its body
    /// runs on a task of its own. Returns at once; never runs the body on the caller's thread.
    /// </summary>
    void StartJob(Job job);
}
