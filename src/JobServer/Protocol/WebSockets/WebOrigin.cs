using System.Diagnostics.CodeAnalysis;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// An origin as RFC 6454 compares them: scheme, host and port, the host without regard to case and the port
/// filled in when it is the scheme's default (<c>https://nas</c> is <c>https://nas:443</c>).
/// </summary>
internal readonly record struct WebOrigin(string Scheme, string Host, int Port)
{
    /// <summary>
    /// Parses an origin (<c>https://nas.example.com:8443</c>): http or https, a host, an optional port, nothing
    /// after it but an optional <c>/</c>. Anything else, among them the opaque origin <c>null</c>, is not one.
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out WebOrigin? origin)
    {
        origin = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" ||
            uri.Fragment.Length > 0 || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        // Uri lowercases scheme and host, and reports the default port when none is written.
        origin = new WebOrigin(uri.Scheme, uri.IdnHost, uri.Port);
        return true;
    }

    /// <summary>The origin a request was made to (its scheme and Host header); null without a Host header.</summary>
    public static WebOrigin? OfRequest(HttpRequest request) =>
        request.Host.HasValue && TryParse($"{request.Scheme}://{request.Host.Value}", out var origin) ? origin : null;

    public override string ToString() => $"{Scheme}://{Host}:{Port}";
}
