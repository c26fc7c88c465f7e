using JobServer.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using JobServer.Storage.Providers;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobServer.Observability.Health;

/// <summary>
/// Ready only if the database takes a write: takes the write lock and creates a table inside a transaction that
/// is rolled back, so nothing changes. Fails on a read-only file or folder, a full lock held by someone else
/// (after a one-second busy wait), or a missing file.
/// </summary>
internal sealed partial class DatabaseWritableCheck(
    IOptions<JobServerOptions> server, JobServerDatabase database, IServiceProvider services,
    IOptions<HealthOptions> options, TimeProvider time, ILogger<DatabaseWritableCheck> logger)
    : ReusedHealthCheck(options, time)
{
    public const string Name = "database";

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = server.Value.DataPath("jobserver.db"),
        Mode = SqliteOpenMode.ReadWrite, // Never creates an empty database where the real one went missing.
        DefaultTimeout = 1,
        Pooling = false,
    }.ToString();

    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        if (database.IsPostgreSql)
        {
            return await ProbePostgresAsync(cancellationToken);
        }

        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE; CREATE TABLE readiness_probe (x); ROLLBACK;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database accepts writes");
        }
        catch (SqliteException e)
        {
            LogNotWritable(logger, e);
            return HealthCheckResult.Unhealthy("the database does not accept writes");
        }
    }

    /// <summary>
    /// PostgreSQL's counterpart: a write transaction (a table created and rolled back) fails on a read-only server
    /// (a standby, <c>default_transaction_read_only</c>), an unreachable one, or a full disk.
    /// </summary>
    private async Task<HealthCheckResult> ProbePostgresAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await services.GetRequiredService<NpgsqlDataSource>()
                .OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("CREATE TABLE readiness_probe (x int)", connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy("the database accepts writes");
        }
        catch (NpgsqlException e)
        {
            LogNotWritable(logger, e);
            return HealthCheckResult.Unhealthy("the database does not accept writes");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: the database does not accept writes")]
    private static partial void LogNotWritable(ILogger logger, Exception exception);
}
