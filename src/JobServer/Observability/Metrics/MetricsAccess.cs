using System.Net;
using System.Security.Cryptography;
using System.Text;
using JobServer.Auth;
using Microsoft.Extensions.Options;

namespace JobServer.Observability.Metrics;

/// <summary>
/// Who may scrape <c>/metrics</c>: with neither setting, anyone who reaches the port (the daemon listens on
/// 127.0.0.1 unless told otherwise); with <see cref="MetricsOptions.AllowedAddresses"/>, only those client
/// addresses (403 for others); with <see cref="MetricsOptions.Token"/>, only a request carrying it as a Bearer
/// token (401 without or with a wrong one). Both set: both are required.
/// </summary>
/// <remarks>
/// The token is no account, so it is not a sign-in through <c>SignInGuard</c> and grants no identity; but its
/// failures count against the client address in the same <see cref="SignInThrottle"/>, so an address guessing it
/// backs off (429 with <c>Retry-After</c>) exactly as one guessing API keys, and its sign-ins elsewhere too.
/// </remarks>
internal sealed partial class MetricsAccess
{
    private readonly byte[]? _tokenHash;
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly SignInThrottle _throttle;
    private readonly ILogger<MetricsAccess> _logger;

    public MetricsAccess(IOptions<MetricsOptions> options, SignInThrottle throttle, ILogger<MetricsAccess> logger)
    {
        var settings = options.Value;
        _tokenHash = string.IsNullOrEmpty(settings.Token) ? null : Hash(settings.Token);
        _allowed = settings.TryParseAllowed(out var allowed)
            ? allowed
            : throw new InvalidOperationException("JobServer:Metrics:AllowedAddresses has an entry that is no address");
        _throttle = throttle;
        _logger = logger;
    }

    /// <summary>The middleware in front of the exporter.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var address = context.Connection.RemoteIpAddress is { } remote ? ClientAddress.Canonical(remote) : null;
        if (_allowed.Count > 0 && (address is null || !IsAllowed(address)))
        {
            LogRefusedAddress(_logger, address?.ToString());
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "This address may not read the metrics");
            return;
        }

        if (_tokenHash is not null)
        {
            if (_throttle.RetryAfter(null, address) is { } wait)
            {
                context.Response.Headers.RetryAfter = RateLimitExceeded.Seconds(wait).ToString(
                    System.Globalization.CultureInfo.InvariantCulture);
                await RefuseAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed attempts; retry later");
                return;
            }

            var presented = BearerOf(context.Request.Headers.Authorization.ToString());
            if (presented is null || !CryptographicOperations.FixedTimeEquals(Hash(presented), _tokenHash))
            {
                if (presented is not null)
                {
                    _throttle.RecordFailure(null, address);
                    LogWrongToken(_logger, address?.ToString());
                }

                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, "A Bearer token is required");
                return;
            }
        }

        await next(context);
    }

    private bool IsAllowed(IPAddress address)
    {
        foreach (var network in _allowed)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static string? BearerOf(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;

    /// <summary>Compared as hashes, so the comparison takes the same time whatever the lengths.</summary>
    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { message });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics scrape from {RemoteAddress} refused: not an allowed address")]
    private static partial void LogRefusedAddress(ILogger logger, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics scrape from {RemoteAddress} refused: wrong token")]
    private static partial void LogWrongToken(ILogger logger, string? remoteAddress);
}
