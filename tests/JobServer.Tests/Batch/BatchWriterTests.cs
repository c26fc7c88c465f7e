using JobServer.Batch;
using JobServer.Storage.Providers;
using JobServer.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace JobServer.Tests.Batch;

/// <summary>
/// The batch database's group-commit writer against a real SQLite file: changes are stored and published in
/// queue order, a watcher gets each job's newest state, and a write that cannot be stored fails only its own
/// waiter.
/// </summary>
public sealed class BatchWriterTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("batchwriter-").FullName;
    private readonly BatchJobWatchers _watchers = new();
    private PooledDbContextFactory<BatchDbContext> _databases = null!;

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<BatchDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_directory, "batch.db")};Pooling=False",
                s => s.MigrationsHistoryTable(BatchDbContext.MigrationsHistoryTable))
            .UseProviderMigrations() // Only the SQLite set: the PostgreSQL one lives in the same assembly.
            .Options;
        _databases = new PooledDbContextFactory<BatchDbContext>(options);
        await using var db = await _databases.CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task QueuedChanges_AreStoredAndPublishedInOrder_TheLastOneWinning()
    {
        await using var writer = Writer();
        var job = NewJob("dev-1", "dev-2");
        await writer.Queue(new BatchWrite { Insert = job });
        var ids = job.Tasks.Select(t => t.Id).ToArray();
        using var watch = _watchers.Watch(job.Id);

        var statuses = new[] { BatchStatus.Sent, BatchStatus.Running, BatchStatus.Resolved };
        var writes = statuses.Select((status, i) => writer.Queue(new BatchWrite
        {
            Tasks = [new BatchTaskRow(ids[0], status, i * 50, null, null)],
            Job = new BatchJobRow(job.Id, BatchStatus.Dispatching, i == 2 ? 1 : 0, 0, null),
            Published = Snapshot(job, BatchStatus.Dispatching, finished: i == 2 ? 1 : 0, ids),
        })).ToList();
        await Task.WhenAll(writes);

        await using var db = await _databases.CreateDbContextAsync();
        var stored = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == ids[0]);
        stored.Status.Should().Be(BatchStatus.Resolved);
        stored.Progress.Should().Be(100);
        (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id)).FinishCount.Should().Be(1);
        var published = new List<int>();
        while (watch.Changes.TryRead(out var snapshot))
        {
            published.Add(snapshot.FinishCount);
        }

        published.Should().NotBeEmpty();
        published[^1].Should().Be(1, "the newest state is always published last");
        published.Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task AWriteThatCannotBeStored_FailsOnlyItsOwnWaiter()
    {
        await using var writer = Writer();
        var job = NewJob("dev-3");
        await writer.Queue(new BatchWrite { Insert = job });
        var taskId = job.Tasks[0].Id;

        var before = writer.Queue(new BatchWrite { Tasks = [new BatchTaskRow(taskId, BatchStatus.Sent, 0, null, null)] });
        var broken = NewJob("dev-3");
        broken.Tasks[0].Method = null!; // NOT NULL: this insert cannot be stored
        var refusedWrite = writer.Queue(new BatchWrite { Insert = broken });
        var after = writer.Queue(new BatchWrite { Tasks = [new BatchTaskRow(taskId, BatchStatus.Running, 10, null, null)] });

        await before;
        await after;
        var refused = () => refusedWrite;
        await refused.Should().ThrowAsync<System.Data.Common.DbException>();
        await using var db = await _databases.CreateDbContextAsync();
        (await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId)).Status.Should().Be(BatchStatus.Running);
        (await db.Jobs.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task DeletedJob_TakesItsTasksWithIt()
    {
        await using var writer = Writer();
        var job = NewJob("dev-4", "dev-5");
        await writer.Queue(new BatchWrite { Insert = job });

        await writer.Queue(new BatchWrite { Delete = job.Id });

        await using var db = await _databases.CreateDbContextAsync();
        (await db.Jobs.CountAsync()).Should().Be(0);
        (await db.Tasks.CountAsync()).Should().Be(0);
    }

    private BatchWriter Writer() =>
        new(_databases, new BatchPublisher(_watchers), new RecordingLogger<BatchWriter>());

    private static BatchJobSnapshot Snapshot(BatchJobRecord job, string status, int finished, long[] ids) =>
        new(job.Id, job.CreatedAt, null, null, status, job.TotalCount, finished, 0, ids);

    private static BatchJobRecord NewJob(string destination, params string[] more) => new()
    {
        Owner = "alice",
        Status = BatchStatus.Pending,
        TotalCount = 1 + more.Length,
        Tasks = [.. new[] { destination }.Concat(more).Select(d => new BatchTaskRecord
        {
            Method = "post", Resource = "/system/reboot", Destination = d, Status = BatchStatus.Pending,
        })],
    };
}
