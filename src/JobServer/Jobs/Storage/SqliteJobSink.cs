using Microsoft.Data.Sqlite;

namespace JobServer.Jobs.Storage;

/// <summary>The SQLite session of the job writer: one connection, the prepared upsert of <see cref="JobSql"/>.</summary>
internal sealed class SqliteJobSink : IJobBatchSink
{
    private readonly SqliteConnection _connection;
    private readonly JobSql _sql;

    private SqliteJobSink(SqliteConnection connection, JobSql sql)
    {
        _connection = connection;
        _sql = sql;
    }

    /// <summary>Opens a connection with the configured durability (<c>synchronous</c> FULL or NORMAL).</summary>
    public static SqliteJobSink Open(string connectionString, string synchronous)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA synchronous={(synchronous == "NORMAL" ? "NORMAL" : "FULL")};";
                pragma.ExecuteNonQuery();
            }

            return new SqliteJobSink(connection, JobSql.Prepare(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ValueTask CommitAsync(IReadOnlyList<JobBatchPart> parts)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var part in parts)
        {
            if (part.Upserts is { } rows)
            {
                foreach (var row in rows)
                {
                    _sql.Upsert(row);
                }
            }
            else if (part.Deletes is { Count: > 0 } ids)
            {
                _sql.Delete(transaction, ids);
            }
        }

        transaction.Commit();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _sql.Dispose();
        _connection.Dispose();
    }
}
