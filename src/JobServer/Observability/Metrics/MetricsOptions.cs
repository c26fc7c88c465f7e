using System.Net;

namespace JobServer.Observability.Metrics;

/// <summary>The Prometheus scrape endpoint (<c>JobServer:Metrics</c>).</summary>
internal sealed class MetricsOptions
{
    public const string Section = "JobServer:Metrics";

    /// <summary>Serves <c>/metrics</c>; off: the route does not exist (the instruments still run, unheard).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// When set, a scrape must send <c>Authorization: Bearer &lt;token&gt;</c>. A wrong token counts as a failed
    /// sign-in of the client address (the sign-in throttle), so guessing it backs off like a bad API key.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// When not empty, only these client addresses may scrape: single addresses (<c>10.0.0.5</c>, <c>::1</c>) or
    /// networks (<c>10.0.0.0/8</c>). The address is the TCP peer's: a proxy in front scrapes as itself.
    /// </summary>
    public IList<string> AllowedAddresses { get; } = new List<string>();

    /// <summary>The allow-list as networks; an entry that is neither an address nor a network makes it invalid.</summary>
    public bool TryParseAllowed(out IReadOnlyList<IPNetwork> networks)
    {
        var parsed = new List<IPNetwork>();
        networks = parsed;
        foreach (var entry in AllowedAddresses)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                parsed.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                parsed.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
