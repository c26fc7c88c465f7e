using Microsoft.Data.Sqlite;

namespace JobServer.Storage.Backup;

/// <summary>Connections to database files the daemon handles as files: snapshots, uploads, backups.</summary>
internal static class SqliteFiles
{
    /// <summary>
    /// A connection string without pooling: a pooled connection stays open after it is disposed, which would keep
    /// a spool file locked (so it could not be deleted) or hand an <c>ATTACH</c>ed upload to the next borrower.
    /// </summary>
    public static string Unpooled(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    /// <summary>An unpooled connection string for a file.</summary>
    public static string ForFile(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWrite) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();

    /// <summary>Opens an unpooled connection.</summary>
    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(Unpooled(connectionString));
        connection.Open();
        return connection;
    }

    public static int Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    /// <summary>Whether the schema (<c>main</c>, or an attached one) has a table of that name.</summary>
    public static bool HasTable(SqliteConnection connection, string table, string schema = "main") =>
        Scalar(connection, $"SELECT type FROM {Quote(schema)}.sqlite_master WHERE name = $name",
            ("$name", table)) is "table";

    /// <summary>An SQL identifier, quoted so any name is safe.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Deletes a database file and the journal files SQLite may have left beside it.</summary>
    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
