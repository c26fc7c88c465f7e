namespace JobServer.Client;

/// <summary>
/// Where the WebSocket and the HTTP transfers go, from the one URL a user gives: a TCP address, or midclt's
/// <c>ws+unix:///path</c> form for the daemon's Unix socket (then both go over that socket, with <c>localhost</c>
/// as the nominal host).
/// </summary>
internal sealed record JobServerEndpoint(Uri WebSocketUri, Uri HttpBase, string? UnixSocketPath, JobServerDialect Dialect)
{
    public const string UnixScheme = JobServerClientOptions.UnixSocketScheme;

    public static JobServerEndpoint From(Uri url, JobServerDialect fallback)
    {
        var path = url.AbsolutePath.TrimEnd('/');
        if (url.Scheme == UnixScheme)
        {
            // midclt puts only the socket's path in the URL; the dialect picks the HTTP path on it.
            return Build(new Uri("ws://localhost"), new Uri("http://localhost/"), url.AbsolutePath, fallback);
        }

        var dialect = path switch
        {
            "/websocket" => JobServerDialect.Ddp,
            "/api/current" or "/api/v1" => JobServerDialect.JsonRpc,
            "" => fallback,
            _ => throw new ArgumentException(
                $"'{url}': the path must be /api/current, /websocket or none", nameof(url)),
        };
        var secure = url.Scheme is "https" or "wss";
        if (url.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException($"'{url}': use http://, https://, ws://, wss:// or ws+unix://", nameof(url));
        }

        var authority = url.GetLeftPart(UriPartial.Authority)[(url.Scheme.Length + 3)..];
        return Build(new Uri($"{(secure ? "wss" : "ws")}://{authority}"), new Uri($"{(secure ? "https" : "http")}://{authority}/"),
            null, dialect);
    }

    private static JobServerEndpoint Build(Uri socketBase, Uri httpBase, string? unixPath, JobServerDialect dialect) =>
        new(new Uri(socketBase, dialect == JobServerDialect.Ddp ? "/websocket" : "/api/current"), httpBase, unixPath, dialect);
}
