using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace JobServer.Probes;

/// <summary>
/// Which store the test daemons use: SQLite in their data directories (the default), or PostgreSQL when
/// <see cref="Variable"/> holds a connection string to a server whose user may create databases. Then every data
/// directory gets its own database (named after the directory, so a daemon restarted on the same directory finds
/// its data again), created on first use and dropped by <see cref="Drop"/>.
/// </summary>
public static class TestDatabases
{
    public const string Variable = "JOBSERVER_TEST_POSTGRES";

    /// <summary>The daemon's setting that selects PostgreSQL (<c>ConnectionStrings:JobServer</c>).</summary>
    public const string Setting = "ConnectionStrings:JobServer";

    private static readonly string? Server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : null;

    public static bool UsePostgres => Server is not null;

    /// <summary>The connection string of the data directory's database (created if missing), or null on SQLite.</summary>
    public static string? ConnectionStringFor(string dataDir) => Server is null ? null : CreateOn(Server, dataDir);

    /// <summary>
    /// The connection string of the data directory's database on <paramref name="server"/> (a connection string of a
    /// user who may create databases), created if missing: for probes given a server rather than the variable.
    /// </summary>
    public static string CreateOn(string server, string dataDir)
    {
        var name = NameOf(dataDir);
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", name);
            if (exists.ExecuteScalar() is null)
            {
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                create.ExecuteNonQuery();
            }
        }

        // Small pools that let go of idle connections: a test process starts hundreds of daemons.
        return new NpgsqlConnectionStringBuilder(server)
        {
            Database = name, MaxPoolSize = 20, ConnectionIdleLifetime = 10, ConnectionPruningInterval = 5,
        }.ConnectionString;
    }

    /// <summary>The settings a daemon on <paramref name="dataDir"/> needs: none on SQLite.</summary>
    public static string[] ArgumentsFor(string dataDir) =>
        ConnectionStringFor(dataDir) is { } connectionString ? [$"--{Setting}={connectionString}"] : [];

    /// <summary>Drops the data directory's database (its daemon has stopped); nothing on SQLite.</summary>
    public static void Drop(string dataDir)
    {
        if (Server is not null)
        {
            DropOn(Server, dataDir);
        }
    }

    /// <summary>Drops the data directory's database on <paramref name="server"/> (see <see cref="CreateOn"/>).</summary>
    public static void DropOn(string server, string dataDir)
    {
        using var admin = new NpgsqlConnection(server);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{NameOf(dataDir)}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }

    private static string NameOf(string dataDir) =>
        "jobserver_test_" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDir))))[..24];
}
