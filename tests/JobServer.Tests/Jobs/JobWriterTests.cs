using JobServer.Storage.Providers;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Sdk.Errors;
using JobServer.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Jobs;

/// <summary>
/// The group-commit writer against a real SQLite file: its queue is bounded without losing order, a transient
/// error (another connection holding the write lock) is retried until it passes, and a permanent one fails only the
/// batch it hit.
/// </summary>
public sealed class JobWriterTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwriter-").FullName;
    private readonly RecordingLogger<JobWriter> _log = new();
    private string ConnectionString => $"Data Source={Path.Combine(_directory, "jobs.db")};Pooling=False";

    public async Task InitializeAsync()
    {
        var options = new DbContextOptionsBuilder<JobStoreDbContext>()
            .UseSqlite(ConnectionString, s => s.MigrationsHistoryTable(JobStoreDbContext.MigrationsHistoryTable))
            .UseProviderMigrations()
            .Options;
        await using var db = new JobStoreDbContext(options);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FullQueue_WritesWaitForRoom_AndAreCommittedAndPublishedInQueueOrder()
    {
        await using var writer = Writer(capacity: 4, maxBatch: 1);
        using var holder = HoldWriteLock();
        // The first write is taken into a batch and waits on the lock; the queue then fills up behind it.
        var published = new List<long>();
        var saves = Enumerable.Range(1, 20)
            .Select(id => writer.SaveAsync(Record(id), () => { lock (published) { published.Add(id); } }))
            .ToList();

        await _log.WaitForAsync(LogLevel.Warning, "transient error");
        writer.QueuedCount.Should().BeLessThanOrEqualTo(4, "the queue is bounded; the other writers wait for room");
        saves.Should().OnlyContain(s => !s.IsCompleted);

        holder.Release();
        await Task.WhenAll(saves);

        published.Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
        StoredIds().Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
    }

    [Fact]
    public async Task WriteLockHeldElsewhere_IsRetriedAndLogged_AndCommitsOnceReleased()
    {
        await using var writer = Writer();
        using var holder = HoldWriteLock();

        var save = writer.SaveAsync(Record(1));
        await _log.WaitForAsync(LogLevel.Warning, "SQLite 5");
        save.IsCompleted.Should().BeFalse();
        holder.Release();
        await save;

        StoredIds().Should().Equal(1L);
    }

    [Fact]
    public async Task TransientErrorOutlastingTheRetries_FailsThatBatchWithEio_AndTheNextWriteSucceeds()
    {
        await using var writer = Writer(retries: 1);
        using (HoldWriteLock())
        {
            var failed = () => writer.SaveAsync(Record(1));
            (await failed.Should().ThrowAsync<JobStoreWriteException>())
                .Which.Errno.Should().Be(Errno.EIO);
        }

        await writer.SaveAsync(Record(2));
        StoredIds().Should().Equal(2L);
    }

    [Fact]
    public async Task PermanentError_IsNotRetried_FailsTheBatch_AndReadsStillWork()
    {
        await using var writer = Writer();
        await writer.SaveAsync(Record(1));
        Execute("ALTER TABLE jobs RENAME TO jobs_elsewhere;");

        var save = () => writer.SaveAsync(Record(2));

        (await save.Should().ThrowAsync<JobStoreWriteException>()).Which.Message.Should().Contain("no such table");
        _log.Entries.Should().NotContain(e => e.Message.Contains("transient", StringComparison.Ordinal));
        Execute("ALTER TABLE jobs_elsewhere RENAME TO jobs;");
        StoredIds().Should().Equal(1L);
        await writer.SaveAsync(Record(3));
        StoredIds().Should().Equal(1L, 3L);
    }

    private JobWriter Writer(int capacity = 8192, int maxBatch = 512, int retries = 50) => new(ConnectionString,
        Options.Create(new JobsOptions
        {
            WriterQueueCapacity = capacity, MaxBatch = maxBatch, WriteRetries = retries, WriteRetryDelayMilliseconds = 1,
        }),
        _log);

    private static JobRecord Record(long id) => new()
    {
        Id = id, Method = "test.job", State = "WAITING", TimeStarted = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc),
    };

    /// <summary>Another connection holding SQLite's write lock, as a backup tool or a <c>sqlite3</c> shell would.</summary>
    private WriteLockHolder HoldWriteLock() => new(ConnectionString);

    private List<long> StoredIds()
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM jobs ORDER BY Id";
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class WriteLockHolder : IDisposable
    {
        private readonly SqliteConnection _connection;
        private SqliteTransaction? _transaction;

        public WriteLockHolder(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            _transaction = _connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: takes the write lock now.
        }

        public void Release()
        {
            _transaction?.Rollback();
            _transaction = null;
        }

        public void Dispose()
        {
            Release();
            _connection.Dispose();
        }
    }
}
