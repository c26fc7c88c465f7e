using Npgsql;
using NpgsqlTypes;

namespace JobServer.Jobs.Storage;

/// <summary>
/// The PostgreSQL session of the job writer: a batch's rows go as one array per column into one prepared
/// <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE</c>, so a batch of any size costs one upsert and one
/// round trip (one commit: the upsert and the batch's one notification for the other nodes share the implicit
/// transaction of one protocol batch; deletes, rare, share an explicit transaction with them). Each row
/// records this node's name, and the write is fenced by the node's epoch (<see cref="ClusterNode"/>): once the
/// cluster declared the node gone, or another node took a row over, nothing is written and the batch fails.
/// <c>JobServer:Jobs:Synchronous=NORMAL</c> maps to <c>synchronous_commit=off</c> (the last
/// commits may be lost on a server crash, as SQLite's NORMAL may lose them on a power cut).
/// </summary>
internal sealed class PostgresJobSink : IJobBatchSink
{
    public const string NodeColumn = "Node";

    /// <summary>The transaction id of a row's last write, for the other nodes' catch-up (<c>Cluster/JobChangeFeed</c>).</summary>
    public const string ChangeXidColumn = "ChangeXid";

    /// <summary>The channel a batch's commit notifies, with the writing node's name as the payload.</summary>
    public const string ChangesChannel = "jobserver_jobs";

    /// <summary>The writing transaction's id as a bigint (xid8 is 64 bits with its epoch: it never wraps).</summary>
    public const string CurrentXidSql = "pg_current_xact_id()::text::bigint";

    private static readonly string UpsertSql =
        "WITH written AS (" +
        $"INSERT INTO jobs ({string.Join(", ", JobSql.Columns.Append(NodeColumn).Append(ChangeXidColumn).Select(Quote))}) " +
        $"SELECT u.*, @node, {CurrentXidSql} FROM unnest({string.Join(", ", JobSql.Columns.Select((_, i) => $"@p{i}"))}) AS u " +
        // Fencing: nothing is written once the cluster has declared this node (at this epoch) gone …
        "WHERE EXISTS (SELECT 1 FROM cluster_nodes n " +
        "WHERE n.\"Name\" = @node AND n.\"Epoch\" = @epoch AND n.\"State\" <> 'gone') " +
        $"ON CONFLICT (\"Id\") DO UPDATE SET {string.Join(", ", JobSql.Columns.Append(NodeColumn)
            .Append(ChangeXidColumn)
            .Where(c => !JobSql.FixedAfterInsert.Contains(c)).Select(c => $"{Quote(c)} = excluded.{Quote(c)}"))} " +
        // … and a row another node took over is never written over, even by a write already under way.
        $"WHERE jobs.{Quote(NodeColumn)} = excluded.{Quote(NodeColumn)} RETURNING 1) " +
        "SELECT count(*)::int FROM written; " +
        // One notification per batch, not per job, delivered at the commit of the implicit transaction the two
        // statements share (one round trip); the payload is only the node's name, far below NOTIFY's 8 kB: the
        // listeners read the rows themselves, so what they announce is what a query returns.
        $"SELECT pg_notify('{ChangesChannel}', @node)";

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _upsert;
    private readonly NpgsqlParameter[] _columns;
    private readonly NpgsqlParameter<long> _epoch;
    private readonly ClusterNode _node;

    private PostgresJobSink(NpgsqlConnection connection, NpgsqlCommand upsert, NpgsqlParameter[] columns,
        NpgsqlParameter<long> epoch, ClusterNode node)
    {
        _connection = connection;
        _upsert = upsert;
        _columns = columns;
        _epoch = epoch;
        _node = node;
    }

    public static PostgresJobSink Open(NpgsqlDataSource database, ClusterNode node, string synchronous)
    {
        var connection = database.OpenConnection();
        try
        {
            if (synchronous == "NORMAL")
            {
                using var set = new NpgsqlCommand("SET synchronous_commit = off", connection);
                set.ExecuteNonQuery();
            }

            var upsert = new NpgsqlCommand(UpsertSql, connection);
            upsert.Parameters.Add(new NpgsqlParameter<string>("node", NpgsqlDbType.Text) { TypedValue = node.Name });
            var epoch = new NpgsqlParameter<long>("epoch", NpgsqlDbType.Bigint);
            upsert.Parameters.Add(epoch);
            var columns = JobSql.Columns.Select((column, i) =>
                upsert.Parameters.Add(new NpgsqlParameter($"p{i}", NpgsqlDbType.Array | TypeOf(column)))).ToArray();
            upsert.Prepare();
            return new PostgresJobSink(connection, upsert, columns, epoch, node);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async ValueTask CommitAsync(IReadOnlyList<JobBatchPart> parts)
    {
        await using var transaction = parts.Count > 1 ? await _connection.BeginTransactionAsync() : null;
        foreach (var part in parts)
        {
            if (part.Upserts is { Count: > 0 } rows)
            {
                Bind(rows);
                _epoch.TypedValue = _node.Epoch;
                _upsert.Transaction = transaction;
                if (await _upsert.ExecuteScalarAsync() is not int written || written != rows.Count)
                {
                    // A batch holds each job once, so a row short means the fence above refused it.
                    var fenced = new NodeFencedException(_node.Name, _node.Epoch);
                    _node.Fence("a job write was refused: the cluster declared the node dead");
                    throw fenced;
                }
            }
            else if (part.Deletes is { Count: > 0 } ids)
            {
                await using var delete = new NpgsqlCommand("DELETE FROM jobs WHERE \"Id\" = ANY(@ids)", _connection,
                    transaction);
                delete.Parameters.Add(new NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
                    { TypedValue = [.. ids] });
                await delete.ExecuteNonQueryAsync();
            }
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync();
        }
    }

    /// <summary>One array per column, in <see cref="JobSql.Columns"/> order.</summary>
    private void Bind(IReadOnlyList<JobRecord> rows)
    {
        var p = _columns;
        p[0].Value = rows.Select(r => r.Id).ToArray();
        p[1].Value = rows.Select(r => r.Method).ToArray();
        p[2].Value = rows.Select(r => r.State).ToArray();
        p[3].Value = rows.Select(r => r.Description).ToArray();
        p[4].Value = rows.Select(r => r.Transient).ToArray();
        p[5].Value = rows.Select(r => r.Abortable).ToArray();
        p[6].Value = rows.Select(r => r.LockName).ToArray();
        p[7].Value = rows.Select(r => r.LogsPath).ToArray();
        p[8].Value = rows.Select(r => r.LogsExcerpt).ToArray();
        p[9].Value = rows.Select(r => r.Error).ToArray();
        p[10].Value = rows.Select(r => r.Exception).ToArray();
        p[11].Value = rows.Select(r => Utc(r.TimeStarted)).ToArray();
        p[12].Value = rows.Select(r => r.TimeFinished is { } t ? Utc(t) : (DateTime?)null).ToArray();
        p[13].Value = rows.Select(r => r.Username).ToArray();
        p[14].Value = rows.Select(r => r.CredentialType).ToArray();
        p[15].Value = rows.Select(r => r.CallerRoles).ToArray();
        p[16].Value = rows.Select(r => r.ArgumentsJson).ToArray();
        p[17].Value = rows.Select(r => r.PendingArgumentsJson).ToArray();
        p[18].Value = rows.Select(r => r.ProgressJson).ToArray();
        p[19].Value = rows.Select(r => r.ResultJson).ToArray();
        p[20].Value = rows.Select(r => r.ExcInfoJson).ToArray();
        p[21].Value = rows.Select(r => r.MessageIdsJson).ToArray();
    }

    /// <summary>Rows read back from SQLite (recovery) carry no kind; every instant the daemon keeps is UTC.</summary>
    private static DateTime Utc(DateTime instant) =>
        instant.Kind == DateTimeKind.Utc ? instant : DateTime.SpecifyKind(instant, DateTimeKind.Utc);

    private static NpgsqlDbType TypeOf(string column) => column switch
    {
        "Id" => NpgsqlDbType.Bigint,
        "Transient" or "Abortable" => NpgsqlDbType.Boolean,
        "TimeStarted" or "TimeFinished" => NpgsqlDbType.TimestampTz,
        _ => NpgsqlDbType.Text,
    };

    private static string Quote(string column) => $"\"{column}\"";

    public void Dispose()
    {
        _upsert.Dispose();
        _connection.Dispose();
    }
}
