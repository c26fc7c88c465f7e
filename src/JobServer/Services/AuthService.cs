using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Protocol;
using JobServer.Sdk;
using Microsoft.Extensions.Options;

namespace JobServer.Services;

/// <summary><c>auth.*</c>: signing a session in and out, and who it is.</summary>
internal sealed partial class AuthService(
    AccountStore accounts,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<AuthService> logger) : Service
{
    [NoAuth]
    [Description("Signs the session in with a username and password; false when they do not match.")]
    public async Task<bool> Login(ICallContext caller, string username, [Secret] string password,
        string? otpToken = null, CancellationToken cancellationToken = default)
    {
        var session = (Session)caller;
        var account = await accounts.VerifyAsync(username, password, cancellationToken);
        if (account is null)
        {
            LogFailedLogin(logger, username, session.RemoteAddress?.ToString());
            // Slow every failed attempt so guessing passwords over one connection is expensive.
            await Task.Delay(TimeSpan.FromMilliseconds(options.Value.FailedLoginDelayMilliseconds), time,
                cancellationToken);
            return false;
        }

        session.SignIn(account.Username, account.RoleSet, "LOGIN_PASSWORD");
        LogLogin(logger, account.Username, session.SessionId, session.RemoteAddress?.ToString());
        return true;
    }

    [Roles(Role.Authenticated)]
    [Description("Signs the session out.")]
    public bool Logout(ICallContext caller)
    {
        ((Session)caller).SignOut();
        return true;
    }

    [Roles(Role.Authenticated)]
    [Description("The signed-in user.")]
    public async Task<JsonObject> Me(ICallContext caller, CancellationToken cancellationToken = default)
    {
        var account = await accounts.FindAsync(caller.Username!, cancellationToken);
        return new JsonObject
        {
            ["pw_name"] = caller.Username,
            ["pw_gecos"] = account?.FullName ?? "",
            ["pw_uid"] = account?.Id,
            ["privilege"] = new JsonObject
            {
                ["roles"] = new JsonArray(caller.Roles.Order().Select(r => (JsonNode?)r).ToArray()),
            },
            ["account_attributes"] = new JsonArray(),
            ["attributes"] = new JsonObject(),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed login for {Username} from {RemoteAddress}")]
    private static partial void LogFailedLogin(ILogger logger, string username, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Username} signed in on session {SessionId} from {RemoteAddress}")]
    private static partial void LogLogin(ILogger logger, string username, string sessionId, string? remoteAddress);
}
