using JobServer.Storage.Providers;
using JobServer.Sdk.Errors;
using JobServer.Storage;
using JobServer.Storage.Backup;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JobServer.Services.Config;

/// <summary>
/// Checks an uploaded file (a spool copy, never the live database) and brings it to this daemon's schema. Every
/// refusal is a <see cref="ValidationException"/> raised before the live database is touched.
/// </summary>
internal static class UploadedConfiguration
{
    public const string NotAJobServerDatabase = "The uploaded file is not a JobServer database";

    /// <summary>EF Core's history table of <see cref="JobServerDbContext"/> (the jobs context keeps its own).</summary>
    private const string HistoryTable = "__EFMigrationsHistory";

    /// <summary>
    /// Validates the file at <paramref name="path"/>, migrates it forward when it is older, and returns its accounts.
    /// </summary>
    public static async Task<IReadOnlyList<ConfigAccount>> PrepareAsync(
        string path, IReadOnlyList<ConfigTable> tables, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> applied;
        using (var upload = Open(path))
        {
            applied = AppliedMigrations(upload);
        }

        await using (var db = new JobServerDbContext(new DbContextOptionsBuilder<JobServerDbContext>()
                         .UseSqlite(SqliteFiles.ForFile(path)).UseProviderMigrations().Options))
        {
            var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
            if (applied.FirstOrDefault(id => !known.Contains(id)) is { } unknown)
            {
                throw new ValidationException(null,
                    $"The uploaded database comes from a newer JobServer (its schema version {unknown} is unknown " +
                    "to this one); upgrade this daemon before restoring it");
            }

            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            catch (SqliteException e)
            {
                throw new ValidationException(null, $"The uploaded database could not be brought to the current schema: {e.Message}");
            }
        }

        using var migrated = Open(path);
        foreach (var table in tables)
        {
            CheckTable(migrated, table);
        }

        var accounts = ReadAccounts(migrated);
        if (accounts.GroupBy(a => a.Username, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ValidationException(null, $"The uploaded configuration has the account {twice.Key} twice");
        }

        if (!accounts.Any(a => a.IsActiveFullAdmin))
        {
            throw new ValidationException(null,
                "The uploaded configuration has no unlocked account with the FULL_ADMIN role; restoring it would " +
                "lock every administrator out");
        }

        return accounts;
    }

    /// <summary>
    /// Opens the upload and proves it is a sound SQLite database: SQLite reads nothing when a connection opens, so a
    /// file that is not a database only fails on the first statement. <c>trusted_schema=OFF</c> keeps views and
    /// triggers of an untrusted file from calling functions with side effects.
    /// </summary>
    private static SqliteConnection Open(string path)
    {
        var connection = SqliteFiles.Open(SqliteFiles.ForFile(path));
        try
        {
            SqliteFiles.Execute(connection, "PRAGMA trusted_schema=OFF;");
            // A database saved in WAL mode arrives without its -wal file; a rollback journal keeps it one file.
            SqliteFiles.Execute(connection, "PRAGMA journal_mode=DELETE;");
            if (SqliteFiles.Scalar(connection, "PRAGMA quick_check;") is not "ok")
            {
                throw new ValidationException(null, "The uploaded database is damaged");
            }

            return connection;
        }
        catch (SqliteException)
        {
            connection.Dispose();
            throw new ValidationException(null, NotAJobServerDatabase);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static List<string> AppliedMigrations(SqliteConnection upload)
    {
        if (!SqliteFiles.HasTable(upload, HistoryTable))
        {
            throw new ValidationException(null, NotAJobServerDatabase);
        }

        var applied = new List<string>();
        using var command = upload.CreateCommand();
        command.CommandText = $"SELECT MigrationId FROM {SqliteFiles.Quote(HistoryTable)};";
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidCastException)
        {
            throw new ValidationException(null, NotAJobServerDatabase);
        }

        return applied.Count > 0 ? applied : throw new ValidationException(null, NotAJobServerDatabase);
    }

    /// <summary>After migrating, every configuration table must be a real table with every current column.</summary>
    private static void CheckTable(SqliteConnection upload, ConfigTable table)
    {
        if (!SqliteFiles.HasTable(upload, table.Name))
        {
            throw new ValidationException(null, $"{NotAJobServerDatabase}: the table {table.Name} is missing");
        }

        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var command = upload.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table);";
        command.Parameters.AddWithValue("$table", table.Name);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            present.Add(reader.GetString(0));
        }

        if (table.Columns.FirstOrDefault(column => !present.Contains(column)) is { } missing)
        {
            throw new ValidationException(null, $"{NotAJobServerDatabase}: the column {table.Name}.{missing} is missing");
        }
    }

    private static List<ConfigAccount> ReadAccounts(SqliteConnection upload)
    {
        var accounts = new List<ConfigAccount>();
        using var command = upload.CreateCommand();
        command.CommandText = "SELECT Username, Roles, Locked FROM users;";
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                accounts.Add(ConfigAccount.From(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidCastException or FormatException)
        {
            throw new ValidationException(null, $"The accounts of the uploaded database are unreadable: {e.Message}");
        }

        return accounts;
    }
}
