using JobServer.Jobs.Storage;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JobServer.Cluster;

/// <summary>
/// <see cref="IClusterNodes"/> on PostgreSQL. Heartbeats, joins and leaves are one statement each on the shared
/// data source; a takeover is one transaction: the stopped node's row is locked with <c>FOR UPDATE SKIP LOCKED</c>
/// (so two nodes sweeping at once take over different nodes, never the same one twice), marked gone, and its
/// unfinished jobs are locked, read and re-stamped with the adopter's name. A node re-joining waits on its row's
/// lock, so it either sees its jobs before the takeover or finds them gone after it — never half of them.
/// </summary>
internal sealed class PostgresClusterNodes(NpgsqlDataSource database, IDbContextFactory<JobStoreDbContext> contexts)
    : IClusterNodes
{
    private const string JoinSql = """
        INSERT INTO cluster_nodes ("Name", "Instance", "Epoch", "State", "JoinedAt", "HeartbeatAt")
        VALUES (@name, @instance, 1, 'alive', now(), now())
        ON CONFLICT ("Name") DO UPDATE SET
            "Instance" = excluded."Instance", "Epoch" = cluster_nodes."Epoch" + 1, "State" = 'alive',
            "JoinedAt" = now(), "HeartbeatAt" = now()
        WHERE cluster_nodes."State" <> 'alive' OR cluster_nodes."Instance" = excluded."Instance"
           OR cluster_nodes."HeartbeatAt" < now() - @timeout
        RETURNING "Epoch"
        """;

    private const string TakeOverSql = """
        WITH stopped AS (
            SELECT "Name", "State" FROM cluster_nodes
            WHERE "Name" <> @adopter
              AND ("State" = 'leaving' OR ("State" = 'alive' AND "HeartbeatAt" < now() - @timeout))
            ORDER BY "HeartbeatAt" LIMIT 1
            FOR UPDATE SKIP LOCKED)
        UPDATE cluster_nodes AS n SET "State" = 'gone' FROM stopped
        WHERE n."Name" = stopped."Name"
        RETURNING n."Name" AS "Name", stopped."State" = 'leaving' AS "Left"
        """;

    public async Task<long> JoinAsync(string name, string instance, TimeSpan nodeTimeout,
        CancellationToken cancellationToken)
    {
        await using (var join = database.CreateCommand(JoinSql))
        {
            join.Parameters.AddWithValue("name", name);
            join.Parameters.AddWithValue("instance", instance);
            join.Parameters.AddWithValue("timeout", nodeTimeout);
            if (await join.ExecuteScalarAsync(cancellationToken) is long epoch)
            {
                return epoch;
            }
        }

        await using var holder = database.CreateCommand("SELECT \"HeartbeatAt\" FROM cluster_nodes WHERE \"Name\" = @name");
        holder.Parameters.AddWithValue("name", name);
        throw new NodeNameInUseException(name, await holder.ExecuteScalarAsync(cancellationToken) as DateTime?);
    }

    public async Task<bool> HeartbeatAsync(string name, long epoch, CancellationToken cancellationToken)
    {
        await using var beat = database.CreateCommand(
            "UPDATE cluster_nodes SET \"HeartbeatAt\" = now() " +
            "WHERE \"Name\" = @name AND \"Epoch\" = @epoch AND \"State\" = 'alive'");
        beat.Parameters.AddWithValue("name", name);
        beat.Parameters.AddWithValue("epoch", epoch);
        return await beat.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task LeaveAsync(string name, long epoch, CancellationToken cancellationToken)
    {
        await using var leave = database.CreateCommand(
            "UPDATE cluster_nodes SET \"State\" = 'leaving' " +
            "WHERE \"Name\" = @name AND \"Epoch\" = @epoch AND \"State\" = 'alive'");
        leave.Parameters.AddWithValue("name", name);
        leave.Parameters.AddWithValue("epoch", epoch);
        await leave.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<NodeTakeover?> TakeOverNextAsync(string adopter, TimeSpan nodeTimeout,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stopped = await db.Database
            .SqlQueryRaw<StoppedNode>(TakeOverSql,
                new NpgsqlParameter("adopter", adopter), new NpgsqlParameter("timeout", nodeTimeout))
            .ToListAsync(cancellationToken);
        if (stopped is not [var node])
        {
            return null;
        }

        var jobs = await db.Jobs
            .FromSqlRaw(
                "SELECT * FROM jobs WHERE \"Node\" = @node AND \"State\" IN ('WAITING', 'RUNNING') ORDER BY \"Id\" FOR UPDATE",
                new NpgsqlParameter("node", node.Name))
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE jobs SET \"Node\" = @adopter WHERE \"Node\" = @node AND \"State\" IN ('WAITING', 'RUNNING')",
            [new NpgsqlParameter("adopter", adopter), new NpgsqlParameter("node", node.Name)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new NodeTakeover(node.Name, node.Left, jobs);
    }

    /// <summary>The row <see cref="TakeOverSql"/> returns.</summary>
    private sealed class StoppedNode
    {
        public string Name { get; set; } = "";

        public bool Left { get; set; }
    }
}
