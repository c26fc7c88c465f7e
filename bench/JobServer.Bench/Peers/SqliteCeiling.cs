using System.Diagnostics;
using JobServer.Bench.Infrastructure;
using Microsoft.Data.Sqlite;

namespace JobServer.Bench.Peers;

/// <summary>
/// The storage ceiling: one prepared INSERT of a job-shaped row, reused, into a temp SQLite file in WAL mode
/// with <c>synchronous=FULL</c>, committing every <c>rowsPerTransaction</c> rows (the Microsoft.Data.Sqlite
/// bulk-insert recipe). No daemon can durably store jobs faster on this disk.
/// </summary>
internal static class SqliteCeiling
{
    public static double RowsPerSecond(int rows, int rowsPerTransaction)
    {
        var directory = BenchPaths.NewTempDirectory("sqlite");
        try
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "ceiling.db")};Pooling=False");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            Execute(connection, """
                CREATE TABLE job (id INTEGER PRIMARY KEY, method TEXT NOT NULL, arguments TEXT NOT NULL,
                                  state TEXT NOT NULL, time_started INTEGER NOT NULL, time_finished INTEGER, result TEXT)
                """);
            var started = Stopwatch.GetTimestamp();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO job (method, arguments, state, time_started, time_finished, result) VALUES ($m, '[]', 'SUCCESS', $t, $t, 'null')";
            var method = insert.Parameters.Add("$m", SqliteType.Text);
            var time = insert.Parameters.Add("$t", SqliteType.Integer);
            method.Value = "bench.noop";
            for (var done = 0; done < rows;)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = 0; i < rowsPerTransaction && done < rows; i++, done++)
                {
                    time.Value = 1_700_000_000_000L + done;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            return rows / (Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            BenchPaths.DeleteQuietly(directory);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
