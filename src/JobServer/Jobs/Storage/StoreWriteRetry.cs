using Microsoft.Data.Sqlite;
using Npgsql;
using Polly;
using Polly.Retry;

namespace JobServer.Jobs.Storage;

/// <summary>
/// How the job writer rides out a database that is briefly unavailable: a transient SQLite error (another process
/// holds the write lock, the disk is full, an I/O error) or one Npgsql calls transient (the server restarting, a
/// dropped connection, a serialization failure) is retried with exponential back-off and jitter and logged
/// each time; anything else — and a transient error that outlasts the retries — fails the batch's callers.
/// </summary>
internal static partial class StoreWriteRetry
{
    /// <summary>SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL: conditions that may pass on their own.</summary>
    private static readonly HashSet<int> TransientCodes = [5, 6, 10, 13];

    public static bool IsTransient(Exception e) => e switch
    {
        SqliteException sqlite => TransientCodes.Contains(sqlite.SqliteErrorCode),
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    /// <summary>The database's own code of a failure, for the log (SQLite's number, PostgreSQL's SQLSTATE).</summary>
    private static string CodeOf(Exception? e) => e switch
    {
        SqliteException sqlite => $"SQLite {sqlite.SqliteErrorCode}",
        PostgresException postgres => $"PostgreSQL {postgres.SqlState}",
        _ => e?.GetType().Name ?? "unknown",
    };

    /// <summary>The retry pipeline of one writer: <paramref name="attempts"/> retries, the first after about
    /// <paramref name="firstDelay"/>, each later one twice as late (capped at 5 s).</summary>
    public static ResiliencePipeline Create(int attempts, TimeSpan firstDelay, TimeProvider time, ILogger logger)
    {
        if (attempts == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = attempts,
                Delay = firstDelay,
                MaxDelay = TimeSpan.FromSeconds(5),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = retry =>
                {
                    var error = retry.Outcome.Exception;
                    LogRetrying(logger, retry.AttemptNumber + 1, attempts, retry.RetryDelay.TotalMilliseconds,
                        CodeOf(error), error?.Message ?? "");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Committing job changes failed with a transient error ({Code}: {Reason}); retry {Attempt} of {Attempts} in {DelayMs:0} ms")]
    private static partial void LogRetrying(ILogger logger, int attempt, int attempts, double delayMs, string code, string reason);
}
