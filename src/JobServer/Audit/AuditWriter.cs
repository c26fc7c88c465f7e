using System.Data;
using System.Data.Common;
using JobServer.Storage.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Audit;

/// <summary>
/// Stores the audit log's events (SQLite or PostgreSQL, whichever <see cref="JobServerDatabase"/> chose): once events arrive it lets them gather for <see cref="GatherTime"/> (or until a
/// batch is full), then inserts them in one transaction with a prepared statement, and about once a minute deletes what retention lets go (older than
/// <see cref="AuditOptions.RetentionDays"/>, beyond <see cref="AuditOptions.MaxRows"/>). Its own connection with
/// <c>synchronous=NORMAL</c>: the audit table may lose the last events on a power cut (they are in the log), and its
/// commits stay short beside the job writer's. A failed batch is logged and dropped; the loop goes on.
/// </summary>
/// <remarks>
/// The job writer is the database's group-commit writer; this one takes the write lock at most a few times a second
/// however many calls arrive, so a job's commit seldom meets it (SQLite's busy handler would make that commit sleep,
/// delaying its job's events and widening the window in which a killed daemon runs a started job again).
/// </remarks>
internal sealed partial class AuditWriter(
    AuditLog audit, IOptions<AuditOptions> options, JobServerDatabase database, IServiceProvider services,
    TimeProvider time, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 4096;
    private static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(1);

    private long? _lastRetention;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = OpenConnection();
        var batch = new List<AuditEvent>(MaxBatch);
        // Not cancelled by the stop: AuditLog.Complete ends the loop once what is queued is stored.
        while (await audit.Pending.WaitToReadAsync(CancellationToken.None))
        {
            if (audit.Pending.Count < MaxBatch && !stoppingToken.IsCancellationRequested)
            {
                // Cut short by the stop, so the last events are stored before the host's timeout.
                await Task.Delay(GatherTime, time, stoppingToken).ContinueWith(static _ => { },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            batch.Clear();
            while (batch.Count < MaxBatch && audit.Pending.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync(CancellationToken.None);
                    await using var durability = connection.CreateCommand();
                    // The PostgreSQL counterpart of SQLite's NORMAL: the last commits may be lost on a crash.
                    durability.CommandText = database.IsPostgreSql
                        ? "SET synchronous_commit = off"
                        : "PRAGMA synchronous=NORMAL;";
                    await durability.ExecuteNonQueryAsync(CancellationToken.None);
                }

                Insert(connection, batch);
                ApplyRetentionIfDue(connection);
            }
#pragma warning disable CA1031 // A failed batch is logged (the events are in the log already); the loop lives on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBatchFailed(logger, e, batch.Count);
                await connection.CloseAsync();
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        audit.Complete();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>
    /// A connection of its own to the chosen database; the SQL below is common to both (quoted identifiers,
    /// <c>@</c> parameters).
    /// </summary>
    private DbConnection OpenConnection() => database.IsPostgreSql
        ? services.GetRequiredService<NpgsqlDataSource>().CreateConnection()
        : new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString)
        {
            DefaultTimeout = 5, Mode = SqliteOpenMode.ReadWrite,
        }.ToString());

    private static void Insert(DbConnection connection, List<AuditEvent> batch)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText =
            "INSERT INTO audit (\"Time\", \"Event\", \"Username\", \"Credential\", \"Method\", \"Address\", " +
            "\"Success\", \"Error\", \"Arguments\") " +
            "VALUES (@time, @event, @username, @credential, @method, @address, @success, @error, @arguments)";
        var parameters = new[] { "time", "event", "username", "credential", "method", "address", "success",
            "error", "arguments" }.Select(name => Parameter(insert, name, type: name switch
            {
                "time" => DbType.Int64,
                "success" => DbType.Boolean,
                _ => DbType.String,
            })).ToArray();
        insert.Prepare();
        foreach (var audit in batch)
        {
            object?[] values =
            [
                audit.Time.ToUnixTimeMilliseconds(), audit.Event, audit.Username, audit.Credential, audit.Method,
                audit.Address, audit.Success, audit.Error, audit.Arguments,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>A typed parameter: PostgreSQL prepares the statement before the first values are bound.</summary>
    private static DbParameter Parameter(DbCommand command, string name, object? value = null,
        DbType type = DbType.Int64)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private void ApplyRetentionIfDue(DbConnection connection)
    {
        if (_lastRetention is { } last && time.GetElapsedTime(last) < RetentionInterval)
        {
            return;
        }

        _lastRetention = time.GetTimestamp();
        var settings = options.Value;
        using var delete = connection.CreateCommand();
        delete.CommandText =
            "DELETE FROM audit WHERE \"Time\" < @cutoff OR \"Id\" <= (SELECT MAX(\"Id\") FROM audit) - @keep";
        Parameter(delete, "cutoff", time.GetUtcNow().AddDays(-settings.RetentionDays).ToUnixTimeMilliseconds());
        Parameter(delete, "keep", (long)settings.MaxRows);
        var deleted = delete.ExecuteNonQuery();
        if (deleted > 0)
        {
            LogRetention(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} audit event(s) failed; they are in the log only")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention deleted {Count} event(s)")]
    private static partial void LogRetention(ILogger logger, int count);
}
