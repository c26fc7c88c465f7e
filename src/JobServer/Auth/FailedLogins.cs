using System.Net;
using Microsoft.Extensions.Options;

namespace JobServer.Auth;

/// <summary>
/// What happens on a failed sign-in, wherever it came from (WebSocket login methods or HTTP credentials): it is
/// logged, and the answer is held so guessing is slow over any protocol.
/// </summary>
internal sealed partial class FailedLogins(IOptions<AuthOptions> options, TimeProvider time, ILogger<FailedLogins> logger)
{
    public void Record(string username, string credential, IPAddress? remoteAddress) =>
        LogFailedLogin(logger, username, credential, remoteAddress?.ToString());

    public async Task RecordAndHoldAsync(string username, string credential, IPAddress? remoteAddress,
        CancellationToken cancellationToken)
    {
        Record(username, credential, remoteAddress);
        var delay = TimeSpan.FromMilliseconds(options.Value.FailedLoginDelayMilliseconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Failed login for {Username} with {Credential} from {RemoteAddress}")]
    private static partial void LogFailedLogin(ILogger logger, string username, string credential, string? remoteAddress);
}
