using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Polly;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The one writer of the jobs table: a group-commit loop (Serilog's batching sink is the model). Callers
/// queue a row; the loop drains whatever is queued (up to a batch), writes it in one transaction through its
/// database session (<see cref="IJobBatchSink"/>: SQLite's prepared upsert, PostgreSQL's multi-row statement) and
/// commits. Many jobs per commit is what makes a durable store fast (peers-and-dotnet §C.2).
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
/// The queue is bounded (<see cref="JobsOptions.WriterQueueCapacity"/>): when it is full, a write waits for room
/// in the channel's FIFO of blocked writers, so queue order — and with it event order — still holds, and whoever
/// awaits <see cref="SaveAsync"/> (every job creation) is slowed down to the pace of the commits.
/// </para>
/// <para>
/// A batch that fails with a transient error (<see cref="StoreWriteRetry"/>) is committed again after a back-off,
/// whole (rows are snapshots: writing one twice is harmless); one that fails for good fails its waiters with a
/// <see cref="JobStoreWriteException"/> and the loop goes on with the next batch. Reads use their own connections
/// and are not affected.
/// </para>
/// <para>
/// Rows are whole snapshots, so when one batch holds several writes of the same job only the last is
/// written (the row after the commit is the same); every write's <c>afterCommit</c> still runs.
/// </para>
/// </remarks>
internal sealed partial class JobWriter : IAsyncDisposable
{
    /// <summary>
    /// How long one attempt waits for another connection's write lock before it counts as a transient failure: the
    /// retries (logged) do the longer waiting.
    /// </summary>
    private const int BusyTimeoutSeconds = 1;

    private readonly Channel<PendingWrite> _queue;
    private readonly Channel<List<PendingWrite>> _committed = Channel.CreateUnbounded<List<PendingWrite>>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Dictionary<long, int> _lastWriteOf = [];
    private readonly Func<IJobBatchSink> _openSink;
    private readonly List<JobBatchPart> _parts = [];
    private readonly JobsOptions _options;
    private readonly ILogger<JobWriter> _logger;
    private readonly ResiliencePipeline _retry;
    private readonly JobMetrics _metrics;
    private readonly Task _loop;
    private readonly Task _publishLoop;
    private IJobBatchSink? _sink;
    private int _batchesPublishing;

    /// <summary>The SQLite writer of <paramref name="connectionString"/>'s database.</summary>
    public JobWriter(string connectionString, IOptions<JobsOptions> options, ILogger<JobWriter> logger,
        TimeProvider? time = null, JobMetrics? metrics = null)
        : this(SqliteSinks(connectionString, options.Value.Synchronous), options, logger, time, metrics)
    {
    }

    /// <summary>A writer over any database: <paramref name="openSink"/> opens a session (again after a failure).</summary>
    public JobWriter(Func<IJobBatchSink> openSink, IOptions<JobsOptions> options, ILogger<JobWriter> logger,
        TimeProvider? time = null, JobMetrics? metrics = null)
    {
        _openSink = openSink;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics ?? JobMetrics.Unobserved;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(_options.WriterQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _retry = StoreWriteRetry.Create(_options.WriteRetries,
            TimeSpan.FromMilliseconds(_options.WriteRetryDelayMilliseconds), time ?? TimeProvider.System, logger);
        _loop = Task.Run(LoopAsync);
        _publishLoop = Task.Run(PublishLoopAsync);
    }

    /// <summary>Opens sessions on a SQLite database, with a short busy timeout (the retries do the waiting).</summary>
    public static Func<IJobBatchSink> SqliteSinks(string connectionString, string synchronous)
    {
        var withBusyTimeout = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = BusyTimeoutSeconds }
            .ToString();
        return () => SqliteJobSink.Open(withBusyTimeout, synchronous);
    }

    /// <summary>Changes queued and not yet taken into a batch (at most <see cref="JobsOptions.WriterQueueCapacity"/>).</summary>
    public int QueuedCount => _queue.Reader.Count;

    /// <summary>
    /// Queues a row (insert or full update); completes once it is committed and <paramref name="afterCommit"/>
    /// (if any) has run.
    /// </summary>
    public Task SaveAsync(JobRecord record, Action? afterCommit = null)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Queue(new PendingWrite(record, afterCommit, committed, null), committed.Task);
    }

    /// <summary>
    /// Queues a row without a waiter: <paramref name="afterCommit"/> runs once it is committed; if the commit
    /// fails, it never runs (the failure is logged).
    /// </summary>
    public void Save(JobRecord record, Action? afterCommit)
    {
        var queued = Queue(new PendingWrite(record, afterCommit, null, null), Task.CompletedTask);
        if (!queued.IsCompleted)
        {
            // Waiting for room in a full queue: nobody awaits it, so a failure (the writer stopped meanwhile) is logged.
            queued.ContinueWith(t => LogUnqueued(_logger, t.Exception!.GetBaseException(), record.Id),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>Deletes rows (retention); runs on the same loop so it never contends with the writer.</summary>
    public Task DeleteAsync(IReadOnlyList<long> ids)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Queue(new PendingWrite(null, null, committed, ids), committed.Task);
    }

    /// <summary>
    /// Completes once every write queued before it is committed and released: an empty delete, which the loop
    /// releases in queue order like any write.
    /// </summary>
    public Task FlushAsync() => DeleteAsync([]);

    /// <summary>
    /// Queues a write in call order — at once when there is room, else in the channel's FIFO of blocked writers —
    /// and returns <paramref name="then"/> once it is queued. Throws at once when the writer has stopped.
    /// </summary>
    private Task Queue(PendingWrite write, Task then)
    {
        var queued = _queue.Writer.WriteAsync(write);
        if (queued.IsCompletedSuccessfully)
        {
            return then;
        }

        if (queued.IsCompleted)
        {
            throw new ObjectDisposedException(nameof(JobWriter), "The job writer has stopped");
        }

        return AfterQueuedAsync(queued, then);
    }

    private static async Task AfterQueuedAsync(ValueTask queued, Task then)
    {
        try
        {
            await queued;
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException("The job writer stopped before the change was queued", e);
        }

        await then;
    }

    private async Task LoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<PendingWrite>();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            var startedAt = _metrics.Timestamp();
            try
            {
                await _retry.ExecuteAsync(static (state, _) => state.Writer.CommitOnceAsync(state.Batch),
                    (Writer: this, Batch: batch), CancellationToken.None);
                _metrics.Committed(batch.Count, startedAt);
                Release(batch);
            }
#pragma warning disable CA1031 // A failed batch fails its callers; the loop must live on for the next one.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBatchFailed(_logger, e, batch.Count);
                var failure = new JobStoreWriteException(e.Message);
                foreach (var write in batch)
                {
                    write.Committed?.TrySetException(failure);
                }
            }
        }

        CloseConnection();
        _committed.Writer.TryComplete();
    }

    /// <summary>One attempt: (re)opens the session if needed and commits the batch; a failure closes it.</summary>
    private async ValueTask CommitOnceAsync(List<PendingWrite> batch)
    {
        try
        {
            // Opened on the first write, after start-up migrated the schema; reopened after a failure.
            _sink ??= _openSink();
            await _sink.CommitAsync(Parts(batch));
        }
        catch
        {
            CloseConnection();
            throw;
        }
    }

    private void CloseConnection()
    {
        _sink?.Dispose();
        _sink = null;
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

    /// <summary>
    /// The batch as runs of upserts split by deletes. Rows are whole snapshots, so within a run only a job's last
    /// write is kept (the row after the commit is the same, and a multi-row upsert may touch a row only once).
    /// </summary>
    private List<JobBatchPart> Parts(List<PendingWrite> batch)
    {
        _parts.Clear();
        var start = 0;
        for (var i = 0; i <= batch.Count; i++)
        {
            if (i < batch.Count && batch[i].Record is not null)
            {
                continue;
            }

            if (i > start)
            {
                _parts.Add(new JobBatchPart(LastWrites(batch, start, i), null));
            }

            if (i < batch.Count && batch[i].Deletes is { Count: > 0 } ids)
            {
                _parts.Add(new JobBatchPart(null, ids));
            }

            start = i + 1;
        }

        return _parts;
    }

    private List<JobRecord> LastWrites(List<PendingWrite> batch, int start, int end)
    {
        _lastWriteOf.Clear();
        for (var i = start; i < end; i++)
        {
            _lastWriteOf[batch[i].Record!.Id] = i;
        }

        var rows = new List<JobRecord>(_lastWriteOf.Count);
        for (var i = start; i < end; i++)
        {
            if (_lastWriteOf[batch[i].Record!.Id] == i)
            {
                rows.Add(batch[i].Record!);
            }
        }

        return rows;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "A change of job {JobId} could not be queued for the writer")]
    private static partial void LogUnqueued(ILogger logger, Exception exception, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing the committed change of job {JobId} failed")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception exception, long jobId);
}
