using JobServer.Sdk.Errors;
using JobServer.Storage.Backup;
using Microsoft.Data.Sqlite;

namespace JobServer.Services.Config;

/// <summary>Replaces the configuration tables of the live database with those of a prepared upload.</summary>
internal static class ConfigImport
{
    private const string Schema = "uploaded";

    // SQLite's result codes for a violated constraint and a value of the wrong type.
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;

    /// <summary>
    /// One IMMEDIATE transaction on a connection to the live database, with the upload attached: either every
    /// configuration table is replaced or (on any error) none is. The write lock is taken at BEGIN, so the jobs
    /// writer and account changes simply wait for the commit; readers keep reading the old rows until then (WAL).
    /// Returns the usernames the live database had, read inside the transaction so none is missed.
    /// </summary>
    public static IReadOnlyList<string> Replace(string liveConnectionString, string uploadPath,
        IReadOnlyList<ConfigTable> tables)
    {
        using var live = SqliteFiles.Open(liveConnectionString);
        SqliteFiles.Execute(live, "PRAGMA trusted_schema=OFF;");
        using (var attach = live.CreateCommand())
        {
            // ATTACH cannot run inside a transaction; the file name is a bound value, never spliced into SQL.
            attach.CommandText = $"ATTACH DATABASE $path AS {Schema};";
            attach.Parameters.AddWithValue("$path", uploadPath);
            attach.ExecuteNonQuery();
        }

        try
        {
            using var transaction = live.BeginTransaction(deferred: false);
            var previous = Usernames(live, transaction);
            foreach (var table in tables)
            {
                var name = SqliteFiles.Quote(table.Name);
                var columns = string.Join(", ", table.Columns.Select(SqliteFiles.Quote));
                using var copy = live.CreateCommand();
                copy.Transaction = transaction;
                copy.CommandText = $"DELETE FROM main.{name}; " +
                                   $"INSERT INTO main.{name} ({columns}) SELECT {columns} FROM {Schema}.{name};";
                copy.ExecuteNonQuery();
            }

            transaction.Commit();
            return previous;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteConstraint or SqliteMismatch)
        {
            // Rolled back: a constraint of the live schema (a duplicate key, a null) the upload's own schema lacked.
            throw new ValidationException(null, $"The uploaded configuration could not be imported: {e.Message}");
        }
        finally
        {
            SqliteFiles.Execute(live, $"DETACH DATABASE {Schema};");
        }
    }

    private static List<string> Usernames(SqliteConnection live, SqliteTransaction transaction)
    {
        using var command = live.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT Username FROM main.users;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
