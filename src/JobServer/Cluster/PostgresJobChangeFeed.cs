using System.Collections.Concurrent;
using System.Threading.Channels;
using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Cluster;

/// <summary>
/// Brings the other nodes' job changes to this node (issue 18, on PostgreSQL; nothing on SQLite): on the one
/// notification each node's job writer sends per committed batch (<see cref="PostgresJobSink.ChangesChannel"/>, payload: the node's name; its own are ignored), reads
/// the rows the others wrote since its last read, and publishes them through this node's
/// <see cref="IJobEventBus"/> (<see cref="JobChangeMerge"/>). The listening is <see cref="PostgresListener"/>'s.
/// </summary>
/// <remarks>
/// <para>
/// Nothing is lost across a lost connection: a notification only says "read", and what is read is every row
/// whose last write (<c>ChangeXid</c>, the writing transaction's id) is at or after the horizon of the previous
/// read — <c>pg_snapshot_xmin</c>, the oldest transaction still open when that read began, so nothing written
/// before it can commit later. After the node listens again it reads once (catch-up), whatever it missed.
/// </para>
/// <para>
/// Notifications arriving while a read runs coalesce into one more read (a one-slot channel), so a busy cluster
/// costs about one read per peer commit at most, and less under load. A transaction left open anywhere on the
/// server holds the horizon back: reads then return more rows again (deduplicated), never fewer.
/// </para>
/// </remarks>
internal sealed partial class PostgresJobChangeFeed(
    JobServerDatabase database,
    IDbContextFactory<JobStoreDbContext> contexts,
    ClusterNode node,
    IJobEventBus bus,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<PostgresJobChangeFeed> logger) : BackgroundService, IClusterNotificationHandler
{
    private readonly Channel<bool> _readNeeded = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly JobChangeMerge _merge = new();
    private readonly ConcurrentQueue<long> _adopted = new();
    private long _horizon = -1;

    public string Channel => PostgresJobSink.ChangesChannel;

    public void OnNotification(string payload)
    {
        // A node's own changes were published here when they committed.
        if (payload != node.Name)
        {
            _readNeeded.Writer.TryWrite(true);
        }
    }

    /// <summary>Jobs this node took over (<see cref="ManagerJobAdopter"/>): forgotten at the next read.</summary>
    public void Adopted(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            _adopted.Enqueue(id);
        }
    }

    /// <summary>Catch up on whatever committed while nobody listened.</summary>
    public void OnListening() => _readNeeded.Writer.TryWrite(true);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        database.IsPostgreSql ? ReadLoopAsync(stoppingToken) : Task.CompletedTask;

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _readNeeded.Reader.WaitToReadAsync(stoppingToken))
            {
                _readNeeded.Reader.TryRead(out _);
                try
                {
                    await ReadChangesAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The horizon did not move: the next read (the next notification, or this retry) gets it all.
                    LogReadFailed(logger, e);
                    await Task.Delay(options.Value.ListenerRetryDelay, time, stoppingToken);
                    _readNeeded.Writer.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One read: the horizon first, then every row the others wrote since the previous horizon.</summary>
    private async Task ReadChangesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Taken before the rows are read (a later snapshot): every transaction older than it has ended, so its
        // rows are in this read or an earlier one.
        var horizon = await db.Database
            .SqlQueryRaw<long>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (_horizon < 0)
        {
            _horizon = horizon; // The first read after start: history is what queries are for.
        }

        var from = _horizon;
        var rows = await db.Jobs.AsNoTracking()
            .Where(j => EF.Property<long?>(j, PostgresJobSink.ChangeXidColumn) >= from &&
                        EF.Property<string>(j, PostgresJobSink.NodeColumn) != node.Name)
            .OrderBy(j => EF.Property<long?>(j, PostgresJobSink.ChangeXidColumn)).ThenBy(j => j.Id)
            .Select(j => new ChangedJob(j, EF.Property<long?>(j, PostgresJobSink.ChangeXidColumn)!.Value))
            .ToListAsync(cancellationToken);
        var adopted = new List<long>();
        while (_adopted.TryDequeue(out var id))
        {
            adopted.Add(id);
        }

        _merge.Adopted(adopted);
        foreach (var change in _merge.Merge(rows, horizon))
        {
            bus.Publish(change);
        }

        _horizon = horizon;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the other nodes' job changes failed; trying again")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
