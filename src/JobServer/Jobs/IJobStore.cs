using System.Text.Json.Nodes;
using JobServer.Jobs.Storage;
using JobServer.Sdk.Query;

namespace JobServer.Jobs;

/// <summary>
/// Where jobs are kept: every change of a job, the ids of new ones, the reads of <c>core.get_jobs</c> and the
/// waits, retention's deletes, and at start the jobs a previous run left unfinished. The database is the truth;
/// the manager's in-memory structures are caches rebuilt from it at start. <see cref="DatabaseJobStore"/> keeps it
/// on SQLite or on PostgreSQL (one daemon per database today; several daemons on one database are issue 18 part 2).
/// </summary>
/// <remarks>
/// The contract the manager's ordering guarantees rest on (<see cref="JobManager"/>, "commit → schedule →
/// publish"): a save's <c>afterCommit</c> runs only once the transaction holding that record committed, never
/// when it failed; the <c>afterCommit</c>s of saves run one at a time, in the order the saves were made; and a
/// save's task completes only after its <c>afterCommit</c> returned. A store runs them on its own writer's side,
/// so they must be short and must not block (the manager's only update bookkeeping, hand jobs to the runner's
/// tasks and publish).
/// </remarks>
internal interface IJobStore
{
    /// <summary>
    /// Makes the store ready at start (schema, id allocation). Called once, before any other member, by the one
    /// daemon that owns the store's data.
    /// </summary>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The id of a new job: from 1, never repeated, also across restarts and after retention deleted the newest
    /// rows. A <see cref="ValueTask{TResult}"/> because the SQLite store answers from a counter (synchronously,
    /// no allocation on the hot path) while a shared database draws from a sequence — one round trip per id, or a
    /// block of ids per round trip (hi-lo) at the price of ids that are not in creation order across nodes.
    /// </summary>
    ValueTask<long> NextIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the whole row (insert or update); completes once it is committed and <paramref name="afterCommit"/>
    /// has run. Fails (and never runs <paramref name="afterCommit"/>) when the commit failed.
    /// </summary>
    Task SaveAsync(JobRecord record, Action? afterCommit = null);

    /// <summary>
    /// Stores the row without a waiter: <paramref name="afterCommit"/> runs once it is committed; when the commit
    /// fails it never runs (the store logs the failure). For changes nobody waits for (RUNNING, progress).
    /// </summary>
    void Save(JobRecord record, Action? afterCommit);

    /// <summary>The stored row of a job, or null (never created, or deleted by retention).</summary>
    Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>Whether a row with the id exists.</summary>
    Task<bool> ExistsAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// <c>core.get_jobs</c>: middlewared's filters and options over the non-transient jobs, in id order, as
    /// serialized jobs (reference §3.2); the store evaluates in its database what it can (filter push-down).
    /// </summary>
    /// <param name="owner">Only the jobs of this username (null: jobs without one), unless
    /// <paramref name="allOwners"/>.</param>
    Task<JsonNode?> QueryAsync(JsonArray? filters, QueryOptions? options, bool allOwners, string? owner,
        CancellationToken cancellationToken);

    /// <summary>The jobs left WAITING or RUNNING by the previous run, in id order (read at start, for recovery).</summary>
    Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Finished jobs that retention may delete: finished before <paramref name="finishedBefore"/>, and not among
    /// the newest <paramref name="keepNewest"/> jobs.
    /// </summary>
    Task<IReadOnlyList<ExpiredJob>> ListExpiredAsync(DateTimeOffset finishedBefore, int keepNewest,
        CancellationToken cancellationToken);

    /// <summary>Deletes rows (retention); ids already allocated are never handed out again.</summary>
    Task DeleteAsync(IReadOnlyList<long> ids);

    /// <summary>
    /// Completes once every change stored before it is committed and its <c>afterCommit</c> has run (the
    /// graceful stop drains the store with it before the daemon exits).
    /// </summary>
    Task FlushAsync();
}

/// <summary>A finished job retention may delete, with the log file that goes with it.</summary>
internal sealed record ExpiredJob(long Id, string? LogsPath);
