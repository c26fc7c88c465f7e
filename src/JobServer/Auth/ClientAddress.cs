using System.Net;
using System.Net.Sockets;

namespace JobServer.Auth;

/// <summary>How a client's address is compared wherever it is remembered (tokens, rate limits).</summary>
internal static class ClientAddress
{
    private const int Ipv6NetworkBytes = 8;

    /// <summary>An IPv4 client seen through a dual-stack socket (<c>::ffff:a.b.c.d</c>) is the client a.b.c.d.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>
    /// The client a failure counts against: an IPv4 address, or an IPv6 address's /64 — one host is usually given
    /// a whole /64, so counting single IPv6 addresses would hand a guesser 2^64 fresh budgets.
    /// </summary>
    public static string ThrottleKey(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }

        var canonical = Canonical(address);
        if (canonical.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return canonical.ToString();
        }

        var bytes = canonical.GetAddressBytes();
        Array.Clear(bytes, Ipv6NetworkBytes, bytes.Length - Ipv6NetworkBytes);
        return new IPAddress(bytes) + "/64";
    }
}
