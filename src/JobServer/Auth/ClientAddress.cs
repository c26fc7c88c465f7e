using System.Net;

namespace JobServer.Auth;

/// <summary>How a client's address is compared wherever it is remembered (tokens, rate limits).</summary>
internal static class ClientAddress
{
    /// <summary>An IPv4 client seen through a dual-stack socket (<c>::ffff:a.b.c.d</c>) is the client a.b.c.d.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
