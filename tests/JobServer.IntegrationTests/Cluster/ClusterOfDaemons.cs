using JobServer.Probes;
using Npgsql;

namespace JobServer.IntegrationTests.Cluster;

/// <summary>
/// Daemon processes (real ones, so a test can <c>kill -9</c> them) sharing one fresh PostgreSQL database, each with
/// its own data directory and node name, and quick membership timings: a heartbeat every 0.5 s, declared dead
/// after 4 s of silence. Disposing kills the nodes and drops the database.
/// </summary>
public sealed class ClusterOfDaemons : IAsyncDisposable
{
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(4);

    private readonly string _root = Directory.CreateTempSubdirectory("jobserver-cluster").FullName;
    private readonly List<(DaemonProcess Daemon, string DataDir)> _nodes = [];

    public ClusterOfDaemons() => ConnectionString = TestDatabases.ConnectionStringFor(_root)!;

    public string ConnectionString { get; }

    /// <summary>The settings a node named <paramref name="name"/> is started with (extra ones may follow).</summary>
    public string[] SettingsOf(string name, params string[] extra) =>
    [
        "--plugin-dir", RepositoryPaths.TestPluginOutput,
        $"--{TestDatabases.Setting}={ConnectionString}",
        $"--JobServer:Cluster:NodeName={name}",
        "--JobServer:Cluster:HeartbeatInterval=00:00:00.500",
        $"--JobServer:Cluster:NodeTimeout={NodeTimeout}",
        .. extra,
    ];

    /// <summary>Starts node <paramref name="name"/> on its data directory (the same one again after a restart).</summary>
    public async Task<DaemonProcess> StartAsync(string name, params string[] extra)
    {
        var dataDir = Path.Combine(_root, name);
        Directory.CreateDirectory(dataDir);
        var daemon = await DaemonProcess.StartAsync(dataDir, SettingsOf(name, extra));
        lock (_nodes) // nodes may be started together
        {
            _nodes.Add((daemon, dataDir));
        }

        return daemon;
    }

    /// <summary>The state and node of a job as the database has it.</summary>
    public async Task<(string State, string Node)> RowOfAsync(long id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT \"State\", \"Node\" FROM jobs WHERE \"Id\" = @id", connection);
        read.Parameters.AddWithValue("id", id);
        await using var row = await read.ExecuteReaderAsync();
        (await row.ReadAsync()).Should().BeTrue($"job {id} exists");
        return (row.GetString(0), row.GetString(1));
    }

    /// <summary>Runs a statement on the shared database (a test playing the cluster's part).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of a query on the shared database.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (daemon, dataDir) in _nodes)
        {
            await daemon.DisposeAsync();
            TestDatabases.Drop(dataDir); // DaemonProcess also made each data directory a database of its own.
        }

        NpgsqlConnection.ClearAllPools();
        TestDatabases.Drop(_root);
        Directory.Delete(_root, recursive: true);
    }
}
