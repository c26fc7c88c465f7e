using System.Globalization;

namespace JobServer.Configuration;

/// <summary>
/// This daemon's place among the daemons sharing one PostgreSQL database (<c>JobServer:Cluster</c>). Part 1 of
/// issue 18 only names the node (recorded on the jobs it runs); claiming, heartbeats and failover key on it later.
/// </summary>
internal sealed class ClusterOptions
{
    public const string Section = "JobServer:Cluster";

    public const int MaxNodeNameLength = 200;

    /// <summary>The node's name; default: the host name and the port of its first URL (<c>nas1:8090</c>).</summary>
    public string NodeName { get; set; } = "";

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
