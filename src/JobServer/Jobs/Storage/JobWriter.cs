using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The one writer of the jobs table: a group-commit loop (Serilog's batching sink is the model). Callers
/// queue a row and await its durable commit; the loop drains whatever is queued (up to a batch), writes it in
/// one transaction with a prepared upsert, commits, and only then releases the callers. Many jobs per commit
/// is what makes durable SQLite fast (peers-and-dotnet §C.2).
/// </summary>
internal sealed partial class JobWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly JobsOptions _options;
    private readonly ILogger<JobWriter> _logger;
    private readonly Task _loop;

    public JobWriter(string connectionString, IOptions<JobsOptions> options, ILogger<JobWriter> logger)
    {
        _connectionString = connectionString;
        _options = options.Value;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues a row (insert or full update) and completes when it is committed.</summary>
    public Task SaveAsync(JobRecord record)
    {
        var write = new PendingWrite(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(JobWriter), "The job writer has stopped");
        }

        return write.Committed.Task;
    }

    /// <summary>Deletes rows (retention); runs on the same loop so it never contends with the writer.</summary>
    public Task DeleteAsync(IReadOnlyList<long> ids)
    {
        var write = new PendingWrite(null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), ids);
        _queue.Writer.TryWrite(write);
        return write.Committed.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxBatch);
        SqliteConnection? connection = null;
        SqliteCommand? upsert = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                // Opened on the first write, after start-up migrated the schema; reopened after a failure.
                if (connection is null || upsert is null)
                {
                    (connection, upsert) = Open();
                }

                Commit(connection, upsert, batch);
                foreach (var write in batch)
                {
                    write.Committed.TrySetResult();
                }
            }
#pragma warning disable CA1031 // A failed batch fails its callers; the loop must live on for the next one.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBatchFailed(_logger, e, batch.Count);
                foreach (var write in batch)
                {
                    write.Committed.TrySetException(e);
                }

                upsert?.Dispose();
                connection?.Dispose();
                (connection, upsert) = (null, null);
            }
        }

        upsert?.Dispose();
        connection?.Dispose();
    }

    private (SqliteConnection Connection, SqliteCommand Upsert) Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA synchronous={(_options.Synchronous == "NORMAL" ? "NORMAL" : "FULL")};";
            pragma.ExecuteNonQuery();
        }

        return (connection, JobSql.CreateUpsert(connection));
    }

    private static void Commit(SqliteConnection connection, SqliteCommand upsert, List<PendingWrite> batch)
    {
        using var transaction = connection.BeginTransaction();
        upsert.Transaction = transaction;
        foreach (var write in batch)
        {
            if (write.Record is { } record)
            {
                JobSql.Bind(upsert, record);
                upsert.ExecuteNonQuery();
            }
            else if (write.Deletes is { Count: > 0 } ids)
            {
                using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = $"DELETE FROM jobs WHERE Id IN ({string.Join(',', ids)});";
                delete.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed record PendingWrite(JobRecord? Record, TaskCompletionSource Committed, IReadOnlyList<long>? Deletes = null);

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} job change(s) failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
