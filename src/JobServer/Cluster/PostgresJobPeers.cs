using System.Globalization;
using JobServer.Jobs;
using Npgsql;

namespace JobServer.Cluster;

/// <summary>
/// <see cref="IJobPeers"/> on PostgreSQL: an abort is a <c>NOTIFY</c> on <see cref="AbortChannel"/> to every node
/// (the job's row says which node last wrote it, but a takeover may move it at any moment; the node that has the
/// job active aborts it, the others ignore it — <see cref="PostgresJobChangeFeed"/>). Null on SQLite: no peers.
/// </summary>
internal sealed class PostgresJobPeers(NpgsqlDataSource? database) : IJobPeers
{
    public const string AbortChannel = "jobserver_abort";

    /// <summary>Well below NOTIFY's 8,000-byte payload limit, with room for the id.</summary>
    public const int MaxReasonLength = 2000;

    public async Task RequestAbortAsync(long id, string reason, CancellationToken cancellationToken)
    {
        if (database is null)
        {
            return;
        }

        await using var notify = database.CreateCommand($"SELECT pg_notify('{AbortChannel}', @payload)");
        notify.Parameters.AddWithValue("payload", Payload(id, reason));
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>"<c>id</c>\n<c>reason</c>" (the reason may hold newlines: only the first one separates).</summary>
    public static string Payload(long id, string reason) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{id}\n{(reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason)}");

    public static bool TryParse(string payload, out long id, out string reason)
    {
        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        reason = newline < 0 ? "" : payload[(newline + 1)..];
        return long.TryParse(newline < 0 ? payload : payload[..newline], NumberStyles.None,
            CultureInfo.InvariantCulture, out id) & newline >= 0;
    }
}
