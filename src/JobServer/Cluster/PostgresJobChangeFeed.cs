using System.Threading.Channels;
using JobServer.Configuration;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Storage.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Cluster;

/// <summary>
/// Brings the other nodes' job changes to this node (issue 18, on PostgreSQL; nothing on SQLite): it
/// <c>LISTEN</c>s on a dedicated connection for the one notification each node's job writer sends per committed
/// batch (<see cref="PostgresJobSink.ChangesChannel"/>, payload: the node's name; its own are ignored), reads
/// the rows the others wrote since its last read, and publishes them through this node's
/// <see cref="IJobEventBus"/> (<see cref="JobChangeMerge"/>). It also takes the aborts other nodes ask for
/// (<see cref="PostgresJobPeers.AbortChannel"/>).
/// </summary>
/// <remarks>
/// <para>
/// Nothing is lost across a lost connection: a notification only says "read", and what is read is every row
/// whose last write (<c>ChangeXid</c>, the writing transaction's id) is at or after the horizon of the previous
/// read — <c>pg_snapshot_xmin</c>, the oldest transaction still open when that read began, so nothing written
/// before it can commit later. After it listens again it reads once (catch-up), whatever it missed meanwhile.
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
    JobManager jobs,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<PostgresJobChangeFeed> logger) : BackgroundService
{
    /// <summary>The listening connection's <c>application_name</c>, for <c>pg_stat_activity</c>.</summary>
    public const string ApplicationNamePrefix = "jobserver-listener ";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Channel<bool> _readNeeded = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly JobChangeMerge _merge = new();
    private long _horizon = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgreSql)
        {
            return;
        }

        var reads = Task.Run(() => ReadLoopAsync(stoppingToken), CancellationToken.None);
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, // A LISTENing session is this loop's alone.
            ApplicationName = ApplicationNamePrefix + node.Name,
            KeepAlive = 5, // A dead server or network is noticed even when no notification comes.
        }.ConnectionString;
        var retryDelay = options.Value.ListenerRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => retryDelay = options.Value.ListenerRetryDelay,
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of the connection means: listen again, later.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogListenerLost(logger, e, retryDelay.TotalSeconds);
                try
                {
                    await Task.Delay(retryDelay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2,
                    Math.Max(MaxRetryDelay.Ticks, options.Value.ListenerRetryDelay.Ticks)));
            }
        }

        _readNeeded.Writer.TryComplete();
        await reads;
    }

    /// <summary>Listens until the connection fails; once listening, asks for a catch-up read.</summary>
    private async Task ListenAsync(string connectionString, Action listening, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand(
                         $"LISTEN {PostgresJobSink.ChangesChannel}; LISTEN {PostgresJobPeers.AbortChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        listening();
        LogListening(logger, node.Name);
        _readNeeded.Writer.TryWrite(true); // Catch up on whatever committed while nobody listened.
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == PostgresJobSink.ChangesChannel)
        {
            // A node's own changes were published here when they committed.
            if (e.Payload != node.Name)
            {
                _readNeeded.Writer.TryWrite(true);
            }

            return;
        }

        if (e.Channel == PostgresJobPeers.AbortChannel && PostgresJobPeers.TryParse(e.Payload, out var id, out var reason))
        {
            _ = AbortAsync(id, reason);
        }
    }

    private async Task AbortAsync(long id, string reason)
    {
        try
        {
            if (await jobs.AbortForPeerAsync(id, reason))
            {
                LogAbortedForPeer(logger, id);
            }
        }
#pragma warning disable CA1031 // Logged: the asking node already answered its caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAbortFailed(logger, e, id);
        }
    }

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
        foreach (var change in _merge.Merge(rows, horizon))
        {
            bus.Publish(change);
        }

        _horizon = horizon;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} listens for the other nodes' job changes")]
    private static partial void LogListening(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Lost the connection listening for the other nodes' job changes; listening again in {DelaySeconds:0.#} s, then catching up")]
    private static partial void LogListenerLost(ILogger logger, Exception error, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the other nodes' job changes failed; trying again")]
    private static partial void LogReadFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} aborted at another node's request")]
    private static partial void LogAbortedForPeer(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Aborting job {JobId} at another node's request failed")]
    private static partial void LogAbortFailed(ILogger logger, Exception error, long jobId);
}
