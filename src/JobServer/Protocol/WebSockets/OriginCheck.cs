using JobServer.Configuration;
using Microsoft.Extensions.Options;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// Refuses a WebSocket handshake whose <c>Origin</c> is present and neither the daemon's own origin nor one of
/// <c>JobServer:AllowedOrigins</c>: a page of another site must not open a socket that rides the user's cookies
/// or stored token (cross-site WebSocket hijacking). Clients without an <c>Origin</c> (CLI tools, Python and
/// Node clients) are not browsers and pass.
/// </summary>
/// <remarks>
/// Not ASP.NET Core's <c>WebSocketOptions.AllowedOrigins</c>: it knows no same-origin rule (the daemon is reached
/// as 127.0.0.1, by a host name, behind a port mapping, and each must work without configuration), compares the
/// strings as written (no default ports), and answers a bare 403 nobody can read a reason from.
/// </remarks>
internal sealed partial class OriginCheck
{
    private readonly HashSet<WebOrigin> _allowed;
    private readonly ILogger<OriginCheck> _logger;

    public OriginCheck(IOptions<JobServerOptions> options, ILogger<OriginCheck> logger)
    {
        _logger = logger;
        // Validated at start (AreValid), so every entry parses.
        _allowed = [.. options.Value.AllowedOrigins.Select(o => WebOrigin.TryParse(o, out var origin) ? origin.Value : default)];
    }

    /// <summary>True when every entry is an origin (checked at start, so a typo stops the daemon).</summary>
    public static bool AreValid(IEnumerable<string> origins) => origins.All(o => WebOrigin.TryParse(o, out _));

    /// <summary>
    /// Answers 403 <c>{"error": "Origin not allowed", "origin": "…"}</c> and returns true when the handshake must
    /// not go on; false (nothing written) when it may.
    /// </summary>
    public async Task<bool> RefuseIfForeignAsync(HttpContext context)
    {
        var values = context.Request.Headers.Origin;
        if (values.Count == 0)
        {
            return false;
        }

        var value = values.ToString();
        if (values.Count == 1 && WebOrigin.TryParse(value, out var origin) &&
            (IsOwn(origin.Value, context.Request) || _allowed.Contains(origin.Value)))
        {
            return false;
        }

        LogRefused(_logger, context.Request.Path, context.Connection.RemoteIpAddress, value);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(new { error = "Origin not allowed", origin = value });
        return true;
    }

    /// <summary>
    /// The daemon's own origin: the request's scheme and Host. Over TLS, also <c>http://</c> with that same host and
    /// port: Python's websocket-client before 1.3 (Debian 12's 1.2.3, under TrueNAS <c>api_client</c>) sends
    /// <c>http://host:port</c> whatever the scheme, and no browser page can have that origin, since that port
    /// speaks TLS and served no page over plain HTTP.
    /// </summary>
    private static bool IsOwn(WebOrigin origin, HttpRequest request) =>
        WebOrigin.OfRequest(request) is { } own &&
        (origin == own || (request.IsHttps && origin == own with { Scheme = "http" }));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused a WebSocket handshake to {Path} from {RemoteAddress}: Origin {Origin} is neither the daemon's own nor in JobServer:AllowedOrigins")]
    private static partial void LogRefused(
        ILogger logger, string path, System.Net.IPAddress? remoteAddress, string origin);
}
