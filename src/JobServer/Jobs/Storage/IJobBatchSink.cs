namespace JobServer.Jobs.Storage;

/// <summary>
/// One database session of the <see cref="JobWriter"/>: commits a batch in one transaction. The writer owns the
/// queue, the coalescing, the retries and the publishing; a sink only knows its database (<see cref="SqliteJobSink"/>
/// row by row on a prepared statement, <see cref="PostgresJobSink"/> one multi-row statement per batch). A sink
/// whose commit threw is disposed and a new one opened for the retry.
/// </summary>
internal interface IJobBatchSink : IDisposable
{
    /// <summary>Writes the parts in order in one transaction and commits it.</summary>
    ValueTask CommitAsync(IReadOnlyList<JobBatchPart> parts);
}

/// <summary>
/// A run of a batch: rows to upsert (each id at most once: the writer keeps a job's last snapshot), or ids to
/// delete (retention). Deletes split a batch into runs so the order of the queue is kept.
/// </summary>
internal readonly record struct JobBatchPart(IReadOnlyList<JobRecord>? Upserts, IReadOnlyList<long>? Deletes);
