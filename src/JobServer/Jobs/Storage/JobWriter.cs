using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The one writer of the jobs table: a group-commit loop (Serilog's batching sink is the model). Callers
/// queue a row; the loop drains whatever is queued (up to a batch), writes it in one transaction with a
/// prepared upsert and commits. Many jobs per commit is what makes durable SQLite fast (peers-and-dotnet §C.2).
/// </summary>
/// <remarks>
/// <para>
/// For each committed write, in queue order, its <c>afterCommit</c> runs (publishing the job's event) and then
/// its waiter is released. So: nothing is published or acknowledged before the
/// transaction holding it committed, and writes queued in some order are published in that order — a
/// caller that queues a job's changes in the order they happened gets that job's events in that order,
/// without waiting for one commit before queuing the next change. Under load the second loop lets the
/// publishing of one batch overlap the fsync of the next; when idle the writer publishes itself (one thread
/// hop less between a commit and its event).
/// </para>
/// <para>
/// Rows are whole snapshots, so when one batch holds several writes of the same job only the last is
/// written (the row after the commit is the same); every write's <c>afterCommit</c> still runs.
/// </para>
/// </remarks>
internal sealed partial class JobWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<List<PendingWrite>> _committed = Channel.CreateUnbounded<List<PendingWrite>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Dictionary<long, int> _lastWriteOf = [];
    private readonly string _connectionString;
    private readonly JobsOptions _options;
    private readonly ILogger<JobWriter> _logger;
    private readonly Task _loop;
    private readonly Task _publishLoop;
    private int _batchesPublishing;

    public JobWriter(string connectionString, IOptions<JobsOptions> options, ILogger<JobWriter> logger)
    {
        _connectionString = connectionString;
        _options = options.Value;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
        _publishLoop = Task.Run(PublishLoopAsync);
    }

    /// <summary>
    /// Queues a row (insert or full update); completes once it is committed and <paramref name="afterCommit"/>
    /// (if any) has run.
    /// </summary>
    public Task SaveAsync(JobRecord record, Action? afterCommit = null)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue(new PendingWrite(record, afterCommit, committed, null));
        return committed.Task;
    }

    /// <summary>
    /// Queues a row without a waiter: <paramref name="afterCommit"/> runs once it is committed; if the commit
    /// fails, it never runs (the failure is logged).
    /// </summary>
    public void Save(JobRecord record, Action? afterCommit) => Queue(new PendingWrite(record, afterCommit, null, null));

    /// <summary>Deletes rows (retention); runs on the same loop so it never contends with the writer.</summary>
    public Task DeleteAsync(IReadOnlyList<long> ids)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue(new PendingWrite(null, null, committed, ids));
        return committed.Task;
    }

    private void Queue(PendingWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(JobWriter), "The job writer has stopped");
        }
    }

    private async Task LoopAsync()
    {
        SqliteConnection? connection = null;
        JobSql? sql = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<PendingWrite>();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                // Opened on the first write, after start-up migrated the schema; reopened after a failure.
                if (connection is null || sql is null)
                {
                    (connection, sql) = Open();
                }

                Commit(connection, sql, batch);
                Release(batch);
            }
#pragma warning disable CA1031 // A failed batch fails its callers; the loop must live on for the next one.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBatchFailed(_logger, e, batch.Count);
                foreach (var write in batch)
                {
                    write.Committed?.TrySetException(e);
                }

                sql?.Dispose();
                connection?.Dispose();
                (connection, sql) = (null, null);
            }
        }

        sql?.Dispose();
        connection?.Dispose();
        _committed.Writer.TryComplete();
    }

    /// <summary>
    /// Publishes a committed batch and releases its waiters: on this loop when nothing else is queued and no
    /// earlier batch is still being published (an idle daemon saves a thread hop per change), else on the
    /// publish loop so it overlaps the next commit. Either way batches are released in commit order.
    /// </summary>
    private void Release(List<PendingWrite> batch)
    {
        if (Volatile.Read(ref _batchesPublishing) == 0 && !_queue.Reader.TryPeek(out _))
        {
            Publish(batch);
            return;
        }

        Interlocked.Increment(ref _batchesPublishing);
        _committed.Writer.TryWrite(batch);
    }

    private async Task PublishLoopAsync()
    {
        await foreach (var batch in _committed.Reader.ReadAllAsync())
        {
            Publish(batch);
            Interlocked.Decrement(ref _batchesPublishing);
        }
    }

    private void Publish(List<PendingWrite> batch)
    {
        foreach (var write in batch)
        {
            try
            {
                write.AfterCommit?.Invoke();
            }
#pragma warning disable CA1031 // A publisher's failure must not keep the next writes from being released.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogAfterCommitFailed(_logger, e, write.Record?.Id ?? 0);
            }

            write.Committed?.TrySetResult();
        }
    }

    private (SqliteConnection Connection, JobSql Sql) Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA synchronous={(_options.Synchronous == "NORMAL" ? "NORMAL" : "FULL")};";
            pragma.ExecuteNonQuery();
        }

        return (connection, JobSql.Prepare(connection));
    }

    private void Commit(SqliteConnection connection, JobSql sql, List<PendingWrite> batch)
    {
        var coalesce = batch.Count > 1 && batch.TrueForAll(w => w.Deletes is null);
        if (coalesce)
        {
            _lastWriteOf.Clear();
            for (var i = 0; i < batch.Count; i++)
            {
                _lastWriteOf[batch[i].Record!.Id] = i;
            }
        }

        using var transaction = connection.BeginTransaction();
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            if (write.Record is { } record)
            {
                if (!coalesce || _lastWriteOf[record.Id] == i)
                {
                    sql.Upsert(record);
                }
            }
            else if (write.Deletes is { Count: > 0 } ids)
            {
                sql.Delete(transaction, ids);
            }
        }

        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await _publishLoop;
    }

    private readonly record struct PendingWrite(
        JobRecord? Record, Action? AfterCommit, TaskCompletionSource? Committed, IReadOnlyList<long>? Deletes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} job change(s) failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing the committed change of job {JobId} failed")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception exception, long jobId);
}
