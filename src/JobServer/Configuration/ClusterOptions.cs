using System.Globalization;

namespace JobServer.Configuration;

/// <summary>
/// This daemon's place among the daemons sharing one PostgreSQL database (<c>JobServer:Cluster</c>): its name (on
/// every job row it writes) and the timing of its membership (<see cref="Cluster.NodeMembership"/>). Unused on
/// SQLite, where one daemon owns its database.
/// </summary>
internal sealed class ClusterOptions
{
    public const string Section = "JobServer:Cluster";

    public const int MaxNodeNameLength = 200;

    /// <summary>The node's name; default: the host name and the port of its first URL (<c>nas1:8090</c>).</summary>
    public string NodeName { get; set; } = "";

    /// <summary>How often the node tells the database it is alive, and looks for nodes that stopped doing so.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a node may go without a heartbeat before the others declare it dead (fail its running jobs, take
    /// over its waiting ones), and before the node itself, unable to reach the database, stops rather than run on
    /// unseen. Together with <see cref="HeartbeatInterval"/>, a dead node's jobs settle within about 10 s.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(7);

    /// <summary>
    /// How long the listener for the other nodes' job events (<see cref="Cluster.PostgresJobChangeFeed"/>) waits
    /// before it reconnects after losing its connection (doubled on each failure, up to ten times); it catches up
    /// on what it missed from the table once it listens again.
    /// </summary>
    public TimeSpan ListenerRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The configured name, or host name + port of the first of <paramref name="urls"/>.</summary>
    public static string NodeNameOrDefault(string? configured, string urls)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        var first = urls
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var port = Uri.TryCreate(first.Replace("*", "localhost", StringComparison.Ordinal)
                .Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port.ToString(CultureInfo.InvariantCulture)
            : "0";
        return $"{Environment.MachineName}:{port}";
    }
}
