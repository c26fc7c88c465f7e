using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace JobServer.Batch;

/// <summary>
/// The one writer of <c>batch.db</c>, a group-commit loop like <c>Jobs/Storage/JobWriter</c>: every change queued
/// while a transaction is being written goes into the next one, so a thousand agents answering at once share a
/// handful of commits instead of queueing for one each. After each commit the batch's changes are published in
/// queue order (<see cref="BatchPublisher"/>), then their waiters released: nothing is published or acknowledged
/// before it is stored, and changes queued in some order are stored and published in that order.
/// </summary>
/// <remarks>
/// The queue is unbounded because changes are queued under <see cref="BatchLedger"/>'s lock, which must not wait;
/// it is bounded in practice by its callers — each agent has one task in flight and a connection at most
/// <c>MaxConcurrentCalls</c> calls. A batch that fails is retried once write by write, so one bad change fails only
/// its own waiter.
/// </remarks>
internal sealed partial class BatchWriter : IBatchWriteQueue, IAsyncDisposable
{
    private const int MaxBatch = 2_000;

    private readonly Channel<BatchWrite> _queue = Channel.CreateUnbounded<BatchWrite>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<BatchDbContext> _databases;
    private readonly BatchPublisher _publisher;
    private readonly ILogger<BatchWriter> _logger;
    private readonly Task _loop;

    public BatchWriter(IDbContextFactory<BatchDbContext> databases, BatchPublisher publisher, ILogger<BatchWriter> logger)
    {
        _databases = databases;
        _publisher = publisher;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues a change (never waits); its <see cref="BatchWrite.Committed"/> tells when it is stored.</summary>
    public Task Queue(BatchWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            write.Fail(new ObjectDisposedException(nameof(BatchWriter), "The daemon is stopping"));
        }

        return write.Committed;
    }

    private async Task LoopAsync()
    {
        var batch = new List<BatchWrite>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                await StoreAsync(batch);
                Release(batch);
            }
#pragma warning disable CA1031 // A failed batch is retried write by write; the loop must live on for the next one.
            catch (Exception e)
            {
                LogBatchFailed(_logger, e, batch.Count);
                foreach (var write in batch)
                {
                    await StoreAloneAsync(write);
                }
            }
#pragma warning restore CA1031

            batch.Clear();
        }
    }

    private async Task StoreAloneAsync(BatchWrite write)
    {
        try
        {
            await StoreAsync([write]);
            Release([write]);
        }
#pragma warning disable CA1031 // The write's waiter gets the error; the others go on.
        catch (Exception e)
        {
            LogWriteFailed(_logger, e);
            write.Fail(e);
        }
#pragma warning restore CA1031
    }

    private void Release(List<BatchWrite> batch)
    {
        _publisher.Publish(batch);
        foreach (var write in batch)
        {
            write.Succeed();
        }
    }

    /// <summary>One transaction of prepared statements: new jobs (ids from the database), then each row's newest state, then deletes.</summary>
    private async Task StoreAsync(IReadOnlyList<BatchWrite> batch)
    {
        await using var db = await _databases.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Rows are whole snapshots of the changing columns, so only each row's newest one is written: a batch of a
        // hundred results of one job updates its job row once.
        var tasks = new Dictionary<long, BatchTaskRow>();
        var jobs = new Dictionary<long, BatchJobRow>();
        var deletes = new List<long>();
        foreach (var write in batch)
        {
            foreach (var task in write.Tasks)
            {
                tasks[task.Id] = task;
            }

            if (write.Job is { } row)
            {
                jobs[row.Id] = row;
            }

            if (write.Delete is { } id)
            {
                deletes.Add(id);
            }
        }

        await using var statements = new BatchStatements(db.Database.GetDbConnection(), transaction.GetDbTransaction());
        foreach (var write in batch)
        {
            if (write.Insert is { } job)
            {
                await statements.InsertJobAsync(job);
            }
        }

        foreach (var task in tasks.Values)
        {
            await statements.UpdateTaskAsync(task);
        }

        foreach (var job in jobs.Values)
        {
            await statements.UpdateJobAsync(job);
        }

        foreach (var id in deletes)
        {
            await statements.DeleteJobAsync(id);
        }

        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} batch-job change(s) could not be stored; storing them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch-job change could not be stored; its caller gets the error")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
