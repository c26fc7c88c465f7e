using Microsoft.Data.Sqlite;

namespace JobServer.Storage.Backup;

/// <summary>Copies the live database into a standalone file while the daemon keeps reading and writing it.</summary>
internal static class DatabaseSnapshot
{
    /// <summary>
    /// SQLite's online backup copies one committed state of the source (in WAL mode the copy reads a snapshot, so
    /// writers are not blocked and a half-written transaction is never seen) into <paramref name="destinationPath"/>.
    /// The copy is then switched to a rollback journal: it inherits the source's WAL flag, and a WAL-mode file is
    /// only whole together with its <c>-wal</c> file, which a download or a backup would leave behind.
    /// </summary>
    public static void Copy(string sourceConnectionString, string destinationPath)
    {
        using var source = SqliteFiles.Open(sourceConnectionString);
        using var destination = SqliteFiles.Open(SqliteFiles.ForFile(destinationPath, SqliteOpenMode.ReadWriteCreate));
        source.BackupDatabase(destination);
        SqliteFiles.Execute(destination, "PRAGMA journal_mode=DELETE;");
    }
}
