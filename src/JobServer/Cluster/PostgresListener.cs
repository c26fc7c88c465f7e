using JobServer.Configuration;
using JobServer.Jobs.Storage;
using JobServer.Storage.Providers;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Cluster;

/// <summary>
/// The one connection on which this node <c>LISTEN</c>s to the others (issue 18, PostgreSQL; nothing on SQLite):
/// every <see cref="IClusterNotificationHandler"/>'s channel, each notification handed to its handler. When the
/// connection is lost (server restart, network, <c>pg_terminate_backend</c>) it listens again after
/// <see cref="ClusterOptions.ListenerRetryDelay"/>, doubled on each failure up to 10 s, and then tells every handler
/// to catch up: notifications sent meanwhile are gone, the database is not.
/// </summary>
internal sealed partial class PostgresListener(
    JobServerDatabase database,
    ClusterNode node,
    IEnumerable<IClusterNotificationHandler> handlers,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<PostgresListener> logger) : BackgroundService
{
    /// <summary>The listening connection's <c>application_name</c>, for <c>pg_stat_activity</c>.</summary>
    public const string ApplicationNamePrefix = "jobserver-listener ";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, IClusterNotificationHandler> _handlers =
        handlers.ToDictionary(h => h.Channel, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.IsPostgreSql)
        {
            return;
        }

        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, // A LISTENing session is this loop's alone.
            ApplicationName = ApplicationNamePrefix + node.Name,
            KeepAlive = 5, // A dead server or network is noticed even when no notification comes.
        }.ConnectionString;
        var configured = options.Value.ListenerRetryDelay;
        var retryDelay = configured;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, () => retryDelay = configured, stoppingToken);
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

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, Math.Max(MaxRetryDelay.Ticks, configured.Ticks)));
            }
        }
    }

    /// <summary>Listens until the connection fails; once listening, has every handler catch up.</summary>
    private async Task ListenAsync(string connectionString, Action listening, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += OnNotification;
        await using (var listen = new NpgsqlCommand(
                         string.Concat(_handlers.Keys.Select(channel => $"LISTEN {channel};")), connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        listening();
        LogListening(logger, node.Name);
        foreach (var handler in _handlers.Values)
        {
            handler.OnListening();
        }

        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (_handlers.TryGetValue(e.Channel, out var handler))
        {
            handler.OnNotification(e.Payload);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} listens to the other nodes")]
    private static partial void LogListening(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Lost the connection listening to the other nodes; listening again in {DelaySeconds:0.#} s, then catching up")]
    private static partial void LogListenerLost(ILogger logger, Exception error, double delaySeconds);
}
