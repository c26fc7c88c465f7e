using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The prepared upsert of a job row, on SQLite's own statement API (hot path: not EF change tracking, and not
/// <see cref="SqliteCommand"/> either, which looks every parameter up by name on every execution — that lookup
/// and its string compares were a quarter of the writer's time in the profile). Values are bound by position.
/// </summary>
internal sealed class JobSql : IDisposable
{
    /// <summary>The jobs table's columns in bind order (shared with <see cref="PostgresJobSink"/>).</summary>
    internal static readonly string[] Columns =
    [
        "Id", "Method", "State", "Description", "Transient", "Abortable", "LockName", "LogsPath", "LogsExcerpt",
        "Error", "Exception", "TimeStarted", "TimeFinished", "Username", "CredentialType", "CallerRoles",
        "ArgumentsJson", "PendingArgumentsJson", "ProgressJson", "ResultJson", "ExcInfoJson", "MessageIdsJson",
    ];

    /// <summary>
    /// Columns a job's later changes never touch (who called what, when, with which arguments and lock). An
    /// update leaves them alone: SQLite then rewrites no index entry of theirs (the username index).
    /// </summary>
    internal static readonly HashSet<string> FixedAfterInsert =
    [
        "Id", "Method", "Transient", "Abortable", "LockName", "TimeStarted", "Username", "CredentialType",
        "CallerRoles", "ArgumentsJson",
    ];

    private static readonly string UpsertSql =
        $"INSERT INTO jobs ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => "?" + (i + 1)))}) " +
        $"ON CONFLICT(Id) DO UPDATE SET {string.Join(", ", Columns.Where(c => !FixedAfterInsert.Contains(c)).Select(c => $"{c} = excluded.{c}"))};";

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _upsert;

    private JobSql(SqliteConnection connection, sqlite3_stmt upsert)
    {
        _connection = connection;
        _upsert = upsert;
    }

    public static JobSql Prepare(SqliteConnection connection)
    {
        var rc = raw.sqlite3_prepare_v3(connection.Handle, UpsertSql, raw.SQLITE_PREPARE_PERSISTENT, out var statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return new JobSql(connection, statement);
    }

    /// <summary>
    /// Writes one row: an insert, or the changing columns over the stored row. The caller holds a transaction.
    /// </summary>
    public void Upsert(JobRecord r)
    {
        var s = _upsert;
        // Unbound parameters are NULL: one call clears them all, so null columns (most of a job's) cost nothing.
        raw.sqlite3_clear_bindings(s);
        raw.sqlite3_bind_int64(s, 1, r.Id);
        Text(s, 2, r.Method);
        Text(s, 3, r.State);
        Text(s, 4, r.Description);
        raw.sqlite3_bind_int64(s, 5, r.Transient ? 1 : 0);
        raw.sqlite3_bind_int64(s, 6, r.Abortable ? 1 : 0);
        Text(s, 7, r.LockName);
        Text(s, 8, r.LogsPath);
        Text(s, 9, r.LogsExcerpt);
        Text(s, 10, r.Error);
        Text(s, 11, r.Exception);
        Date(s, 12, r.TimeStarted);
        Date(s, 13, r.TimeFinished);
        Text(s, 14, r.Username);
        Text(s, 15, r.CredentialType);
        Text(s, 16, r.CallerRoles);
        Text(s, 17, r.ArgumentsJson);
        Text(s, 18, r.PendingArgumentsJson);
        Text(s, 19, r.ProgressJson);
        Text(s, 20, r.ResultJson);
        Text(s, 21, r.ExcInfoJson);
        Text(s, 22, r.MessageIdsJson);
        var rc = raw.sqlite3_step(s);
        raw.sqlite3_reset(s);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    /// <summary>Deletes rows (retention).</summary>
    public void Delete(SqliteTransaction transaction, IReadOnlyList<long> ids)
    {
        using var delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = $"DELETE FROM jobs WHERE Id IN ({string.Join(',', ids)});";
        delete.ExecuteNonQuery();
    }

    public void Dispose() => _upsert.Dispose();

    private static void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is not null)
        {
            raw.sqlite3_bind_text16(s, index, value.AsSpan());
        }
    }

    /// <summary>
    /// Instants as Microsoft.Data.Sqlite writes a <see cref="DateTime"/> (and EF reads and compares it):
    /// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> text, formatted by hand (the custom-format parser was 1% of the daemon).
    /// </summary>
    private static void Date(sqlite3_stmt s, int index, DateTime? value)
    {
        if (value is { } instant)
        {
            Span<char> text = stackalloc char[27];
            raw.sqlite3_bind_text16(s, index, text[..FormatDate(instant, text)]);
        }
    }

    /// <summary>
    /// Writes <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> (fraction without trailing zeros, and without the dot when
    /// it is zero) into <paramref name="text"/> (27 chars); returns the length.
    /// </summary>
    internal static int FormatDate(DateTime instant, Span<char> text)
    {
        Digits(text[..4], instant.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), instant.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), instant.Day);
        text[10] = ' ';
        Digits(text.Slice(11, 2), instant.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), instant.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), instant.Second);
        var fraction = (int)(instant.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            return 19;
        }

        text[19] = '.';
        Digits(text.Slice(20, 7), fraction);
        var length = 27;
        while (text[length - 1] == '0')
        {
            length--;
        }

        return length;
    }

    private static void Digits(Span<char> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
