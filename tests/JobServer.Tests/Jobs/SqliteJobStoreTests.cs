using JobServer.Cluster;
using JobServer.Storage.Providers;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace JobServer.Tests.Jobs;

/// <summary>The SQLite store against a real database file: ids, recovery's list, the query push-down, group commit.</summary>
public sealed class SqliteJobStoreTests : IAsyncLifetime
{
    private static readonly DateTime Started = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "jobserver-store-tests", Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _sql = new();
    private readonly List<JobWriter> _writers = [];

    private string DatabasePath => Path.Combine(_dir, "jobserver.db");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task NextId_BeforeOpen_Refused()
    {
        var store = NewStore();

        var early = async () => await store.NextIdAsync(CancellationToken.None);

        await early.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task NextId_AfterRestart_ContinuesAfterTheHighestId()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.SaveAsync(Row(await store.NextIdAsync(CancellationToken.None), "SUCCESS"));
        }

        var restarted = await OpenAsync();

        (await restarted.NextIdAsync(CancellationToken.None)).Should().Be(4);
    }

    [Fact]
    public async Task NextId_AfterRetentionDeletedTheNewestRows_NeverReusesAnId()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.SaveAsync(Row(await store.NextIdAsync(CancellationToken.None), "SUCCESS"));
        }

        await store.DeleteAsync([1, 2, 3]);
        var restarted = await OpenAsync();

        (await restarted.NextIdAsync(CancellationToken.None)).Should().Be(4);
        (await restarted.ExistsAsync(3, CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task ListUnfinished_AtStart_WaitingAndRunningJobsInIdOrder()
    {
        var store = await OpenAsync();
        foreach (var (id, state) in new[] { (1L, "WAITING"), (2, "RUNNING"), (3, "SUCCESS"), (4, "FAILED"), (5, "WAITING"), (6, "ABORTED") })
        {
            await store.SaveAsync(Row(id, state));
        }

        var restarted = await OpenAsync();
        var unfinished = await restarted.ListUnfinishedAsync(CancellationToken.None);

        unfinished.Select(r => (r.Id, r.State)).Should().Equal((1L, "WAITING"), (2L, "RUNNING"), (5L, "WAITING"));
    }

    [Fact]
    public async Task Query_FilterOnAColumn_RunsInSqlAndKeepsToTheOwnersJobs()
    {
        var store = await OpenAsync();
        await store.SaveAsync(Row(1, "SUCCESS", "alice"));
        await store.SaveAsync(Row(2, "FAILED", "alice"));
        await store.SaveAsync(Row(3, "SUCCESS", "bob"));
        await store.SaveAsync(Row(4, "SUCCESS", "alice", transient: true));
        _sql.Clear();

        var alices = await store.QueryAsync(new JsonArray(new JsonArray("state", "=", "SUCCESS")), null,
            allOwners: false, "alice", CancellationToken.None);
        var everyones = await store.QueryAsync(new JsonArray(new JsonArray("state", "=", "SUCCESS")), null,
            allOwners: true, null, CancellationToken.None);

        alices!.AsArray().Select(j => j!["id"]!.GetValue<long>()).Should().Equal(1);
        everyones!.AsArray().Select(j => j!["id"]!.GetValue<long>()).Should().Equal(1, 3);
        _sql.Should().Contain(s => s.Contains("\"State\" =", StringComparison.Ordinal) &&
                                   s.Contains("\"Username\" =", StringComparison.Ordinal),
            "the state filter and the owner restriction are evaluated by SQLite, not in memory");
    }

    [Fact]
    public async Task Save_ManyChangesQueuedAtOnce_AfterCommitStepsRunInSaveOrderAndTheLastChangeWins()
    {
        var store = await OpenAsync();
        var seen = new ConcurrentQueue<int>();
        var states = new[] { "WAITING", "RUNNING", "SUCCESS" };
        var saves = new List<Task>();
        var n = 0;
        foreach (var state in states)
        {
            for (var id = 1L; id <= 300; id++)
            {
                var order = n++;
                saves.Add(store.SaveAsync(Row(id, state), () => seen.Enqueue(order)));
            }
        }

        await Task.WhenAll(saves);

        seen.Should().Equal(Enumerable.Range(0, n), "committed changes are handed back in the order they were saved");
        var restarted = await OpenAsync();
        (await restarted.ListUnfinishedAsync(CancellationToken.None)).Should().BeEmpty();
        (await restarted.FindAsync(300, CancellationToken.None))!.State.Should().Be("SUCCESS");
    }

    [Fact]
    public async Task ListExpired_KeepsTheNewestAndUnfinishedJobs()
    {
        var store = await OpenAsync();
        var old = Started.AddDays(-30);
        var withLog = Row(1, "SUCCESS", finished: old);
        withLog.LogsPath = "/tmp/1.log";
        await store.SaveAsync(withLog);
        await store.SaveAsync(Row(2, "RUNNING"));
        await store.SaveAsync(Row(3, "FAILED", finished: old));
        await store.SaveAsync(Row(4, "SUCCESS", finished: old));
        await store.SaveAsync(Row(5, "SUCCESS", finished: Started));

        var expired = await store.ListExpiredAsync(new DateTimeOffset(Started.AddDays(-7)), keepNewest: 2,
            CancellationToken.None);

        expired.Should().Equal(new ExpiredJob(1, "/tmp/1.log"), new ExpiredJob(3, null));
    }

    private async Task<DatabaseJobStore> OpenAsync()
    {
        var store = NewStore();
        await store.OpenAsync(CancellationToken.None);
        return store;
    }

    private DatabaseJobStore NewStore()
    {
        var connection = $"Data Source={DatabasePath};Pooling=True";
        var reads = new PooledDbContextFactory<JobStoreDbContext>(new DbContextOptionsBuilder<JobStoreDbContext>()
            .UseSqlite(connection, sqlite => sqlite.MigrationsHistoryTable(JobStoreDbContext.MigrationsHistoryTable))
            .UseProviderMigrations()
            .LogTo(_sql.Enqueue, [RelationalEventId.CommandExecuted])
            .Options);
        var writer = new JobWriter(connection, MsOptions.Create(new JobsOptions()), NullLogger<JobWriter>.Instance);
        _writers.Add(writer);
        return new DatabaseJobStore(writer, reads, new SqliteJobIds(reads), new ClusterNode("test", ""),
            JobServerDatabase.Sqlite(DatabasePath), NullLogger<DatabaseJobStore>.Instance);
    }

    private static JobRecord Row(long id, string state, string? username = "root", DateTime? finished = null,
        bool transient = false) => new()
    {
        Id = id,
        Method = "test.job",
        State = state,
        Transient = transient,
        TimeStarted = Started,
        TimeFinished = finished,
        Username = username,
    };
}
