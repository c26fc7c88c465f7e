using System.Net;
using System.Net.Sockets;
using JobServer.Spark.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Callbacks;

/// <summary>
/// The SSRF guard of <c>callbackUrl</c>: http or https only; never the daemon itself (a local address on one of
/// its ports); never a denied host; only an allowed host when an allow list is set; and never a loopback,
/// link-local (cloud metadata, 169.254.169.254), unspecified or multicast address unless its host is listed as
/// allowed. The same address check runs at submit and again on every connect (after DNS), so a name cannot
/// resolve to a public address at submit and to an internal one at send.
/// </summary>
internal sealed class SparkCallbackGuard(IOptions<SparkOptions> options, IServer server)
{
    /// <summary>Why the URL is refused, or null when it may be used.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (url.Length > SparkCallbackRecordLimits.MaxUrlLength ||
            !Uri.TryCreate(url, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0)
        {
            return "callbackUrl must be an absolute http or https URL without credentials";
        }

        if (HostRefusal(uri.IdnHost) is { } refused)
        {
            return refused;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"callbackUrl host {uri.IdnHost} does not resolve";
        }

        return addresses.Length == 0 ? $"callbackUrl host {uri.IdnHost} does not resolve"
            : addresses.Select(a => AddressRefusal(uri.IdnHost, a, uri.Port)).FirstOrDefault(r => r is not null);
    }

    /// <summary>Why a host name (as written) is refused by the lists, or null.</summary>
    public string? HostRefusal(string host)
    {
        var settings = options.Value;
        if (settings.CallbackDeniedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return $"callbackUrl host {host} is denied";
        }

        return settings.CallbackAllowedHosts.Length > 0 && !IsListedAllowed(host)
            ? $"callbackUrl host {host} is not in the allowed hosts"
            : null;
    }

    /// <summary>Why connecting to <paramref name="address"/> for <paramref name="host"/> is refused, or null.</summary>
    public string? AddressRefusal(string host, IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IsLocal(address) && DaemonPorts().Contains(port))
        {
            return "callbackUrl may not target the daemon itself";
        }

        if (IsInternal(address) && !IsListedAllowed(host))
        {
            return $"callbackUrl host {host} is a loopback, link-local or unspecified address; list it in " +
                   "JobServer:Spark:CallbackAllowedHosts to permit it";
        }

        return null;
    }

    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    private bool IsListedAllowed(string host) =>
        options.Value.CallbackAllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static bool IsInternal(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6Multicast ||
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ||
        (address.AddressFamily == AddressFamily.InterNetwork &&
         address.GetAddressBytes() is [169, 254, _, _] or [>= 224, _, _, _] or [0, _, _, _]);

    private static bool IsLocal(IPAddress address) =>
        IsInternal(address) || LocalAddresses().Contains(address);

    private static HashSet<IPAddress> LocalAddresses() =>
    [
        .. System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => u.Address),
    ];

    private HashSet<int> DaemonPorts()
    {
        var ports = new HashSet<int>();
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal),
                    UriKind.Absolute, out var bound))
            {
                ports.Add(bound.Port);
            }
        }

        return ports;
    }
}
