using Microsoft.Data.Sqlite;

namespace JobServer.Jobs.Storage;

/// <summary>The prepared upsert of a job row (hot path: raw ADO, not EF change tracking).</summary>
internal static class JobSql
{
    private static readonly string[] Columns =
    [
        "Id", "Method", "State", "Description", "Transient", "Abortable", "LockName", "LogsPath", "LogsExcerpt",
        "Error", "Exception", "TimeStarted", "TimeFinished", "Username", "CredentialType", "CallerRoles",
        "ArgumentsJson", "PendingArgumentsJson", "ProgressJson", "ResultJson", "ExcInfoJson", "MessageIdsJson",
    ];

    public static SqliteCommand CreateUpsert(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        var updates = string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"));
        command.CommandText =
            $"INSERT INTO jobs ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))}) " +
            $"ON CONFLICT(Id) DO UPDATE SET {updates};";
        foreach (var column in Columns)
        {
            command.Parameters.Add(new SqliteParameter("$" + column, null));
        }

        command.Prepare();
        return command;
    }

    public static void Bind(SqliteCommand command, JobRecord r)
    {
        var p = command.Parameters;
        p["$Id"].Value = r.Id;
        p["$Method"].Value = r.Method;
        p["$State"].Value = r.State;
        p["$Description"].Value = (object?)r.Description ?? DBNull.Value;
        p["$Transient"].Value = r.Transient;
        p["$Abortable"].Value = r.Abortable;
        p["$LockName"].Value = (object?)r.LockName ?? DBNull.Value;
        p["$LogsPath"].Value = (object?)r.LogsPath ?? DBNull.Value;
        p["$LogsExcerpt"].Value = (object?)r.LogsExcerpt ?? DBNull.Value;
        p["$Error"].Value = (object?)r.Error ?? DBNull.Value;
        p["$Exception"].Value = (object?)r.Exception ?? DBNull.Value;
        p["$TimeStarted"].Value = r.TimeStarted;
        p["$TimeFinished"].Value = (object?)r.TimeFinished ?? DBNull.Value;
        p["$Username"].Value = (object?)r.Username ?? DBNull.Value;
        p["$CredentialType"].Value = (object?)r.CredentialType ?? DBNull.Value;
        p["$CallerRoles"].Value = (object?)r.CallerRoles ?? DBNull.Value;
        p["$ArgumentsJson"].Value = r.ArgumentsJson;
        p["$PendingArgumentsJson"].Value = (object?)r.PendingArgumentsJson ?? DBNull.Value;
        p["$ProgressJson"].Value = r.ProgressJson;
        p["$ResultJson"].Value = (object?)r.ResultJson ?? DBNull.Value;
        p["$ExcInfoJson"].Value = (object?)r.ExcInfoJson ?? DBNull.Value;
        p["$MessageIdsJson"].Value = r.MessageIdsJson;
    }
}
