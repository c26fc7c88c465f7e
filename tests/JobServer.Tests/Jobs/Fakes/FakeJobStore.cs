using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Sdk.Query;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>
/// An in-memory <see cref="IJobStore"/> with the real store's contract: saves are "committed" one at a time by a
/// loop of their own, in save order, each <c>afterCommit</c> running there before its waiter is released. A save
/// that <see cref="FailWhen"/> picks fails like a full disk: its waiter gets the error, its afterCommit never runs.
/// </summary>
internal sealed class FakeJobStore : IJobStore, IAsyncDisposable
{
    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _lastId;

    public FakeJobStore() => _loop = Task.Run(LoopAsync);

    /// <summary>Committed rows by id.</summary>
    public ConcurrentDictionary<long, JobRecord> Rows { get; } = new();

    /// <summary>Which saves fail (read on the commit loop).</summary>
    public Func<JobRecord, bool>? FailWhen { get; set; }

    /// <summary>When set, a save waits for this task before it is committed (a slow disk).</summary>
    public Task? HoldCommitsUntil { get; set; }

    /// <summary>Completes when a save is held by <see cref="HoldCommitsUntil"/>.</summary>
    public TaskCompletionSource CommitHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many saves failed.</summary>
    public int Failures => Volatile.Read(ref _failures);

    private int _failures;

    public Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask<long> NextIdAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Interlocked.Increment(ref _lastId));

    public Task SaveAsync(JobRecord record, Action? afterCommit = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Writer.TryWrite(new Write(Copy(record), afterCommit, done));
        return done.Task;
    }

    public void Save(JobRecord record, Action? afterCommit) =>
        _writes.Writer.TryWrite(new Write(Copy(record), afterCommit, null));

    public Task<JobRecord?> FindAsync(long id, CancellationToken cancellationToken) =>
        Task.FromResult(Rows.TryGetValue(id, out var row) ? Copy(row) : null);

    public Task<bool> ExistsAsync(long id, CancellationToken cancellationToken) => Task.FromResult(Rows.ContainsKey(id));

    public Task<JsonNode?> QueryAsync(JsonArray? filters, QueryOptions? options, bool allOwners, string? owner,
        CancellationToken cancellationToken) =>
        Task.FromResult<JsonNode?>(new JsonArray(Rows.Values.Where(r => allOwners || r.Username == owner)
            .OrderBy(r => r.Id).Select(r => (JsonNode)JobDocument.FromRecord(r)).ToArray()));

    public Task<IReadOnlyList<JobRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobRecord>>(Rows.Values.Where(r => r.State is "WAITING" or "RUNNING")
            .OrderBy(r => r.Id).ToList());

    public Task<IReadOnlyList<ExpiredJob>> ListExpiredAsync(DateTimeOffset finishedBefore, int keepNewest,
        CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ExpiredJob>>([]);

    public Task DeleteAsync(IReadOnlyList<long> ids)
    {
        foreach (var id in ids)
        {
            Rows.TryRemove(id, out _);
        }

        return Task.CompletedTask;
    }

    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Writer.TryWrite(new Write(null, null, done));
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        await foreach (var write in _writes.Reader.ReadAllAsync())
        {
            if (HoldCommitsUntil is { } hold)
            {
                CommitHeld.TrySetResult();
                await hold;
            }

            if (write.Record is null)
            {
                write.Done?.TrySetResult(); // A flush: everything queued ahead of it is committed.
                continue;
            }

            if (FailWhen?.Invoke(write.Record) == true)
            {
                Interlocked.Increment(ref _failures);
                write.Done?.TrySetException(new IOException("database or disk is full (fake)"));
                continue;
            }

            Rows[write.Record.Id] = write.Record;
            write.AfterCommit?.Invoke();
            write.Done?.TrySetResult();
        }
    }

    /// <summary>Rows are snapshots; a copy keeps the test's view from changing under it.</summary>
    private static JobRecord Copy(JobRecord r) => new()
    {
        Id = r.Id, Method = r.Method, State = r.State, Description = r.Description, Transient = r.Transient,
        Abortable = r.Abortable, LockName = r.LockName, LogsPath = r.LogsPath, LogsExcerpt = r.LogsExcerpt,
        Error = r.Error, Exception = r.Exception, TimeStarted = r.TimeStarted, TimeFinished = r.TimeFinished,
        Username = r.Username, CredentialType = r.CredentialType, CallerRoles = r.CallerRoles,
        ArgumentsJson = r.ArgumentsJson, PendingArgumentsJson = r.PendingArgumentsJson, ProgressJson = r.ProgressJson,
        ResultJson = r.ResultJson, ExcInfoJson = r.ExcInfoJson, MessageIdsJson = r.MessageIdsJson,
    };

    private sealed record Write(JobRecord? Record, Action? AfterCommit, TaskCompletionSource? Done);
}
