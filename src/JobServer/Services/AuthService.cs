using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Calls;
using JobServer.Sdk;
using JobServer.Sessions;

namespace JobServer.Services;

/// <summary>
/// <c>auth.*</c>: signing a session in (password, API key, token; <c>login_ex</c>) and out, who it is, tokens, and
/// the list of signed-in sessions. Every credential is checked by the <see cref="SignInGuard"/> (one throttle and
/// hash queue for every door); every sign-in and sign-out goes through <see cref="SignedInSessions"/>. Signing in
/// and out act on the connection (an <see cref="ILiveSession"/>); the rest needs only the <see cref="Caller"/>.
/// </summary>
internal sealed partial class AuthService(
    AccountStore accounts,
    SignedInSessions signedIn,
    ITokenStore tokens,
    SignInGuard guard,
    SessionRegistry sessions,
    ILogger<AuthService> logger) : Service
{
    [NoAuth]
    [Description("Signs the session in with a username and password; false when they do not match.")]
    public async Task<bool> Login(ILiveSession session, string username, [Secret] string password,
        string? otpToken = null, CancellationToken cancellationToken = default) =>
        await SignInAsync(session, SignInCredentials.Password(username, password), cancellationToken) ==
        LoginResult.Success;

    [Roles(Role.Authenticated)]
    [Description("Signs the session out; the tokens it made stop working.")]
    public async Task<bool> Logout(ILiveSession session)
    {
        await signedIn.SignOutAsync(session);
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

    /// <summary>
    /// The WebSocket door's one entry into the sign-in guard: every login method ends here. A refusal (backing off,
    /// or the hash queue full) is the protocol's rate-limit error, not a false: the client learns to wait, and
    /// nothing about the credentials.
    /// </summary>
    private async Task<LoginResult> SignInAsync(
        ILiveSession session, SignInCredentials credentials, CancellationToken cancellationToken)
    {
        var outcome = await guard.SignInAsync(credentials, session.RemoteAddress, cancellationToken);
        switch (outcome.Result)
        {
            case LoginResult.RateLimited:
                throw RateLimitExceeded.Error(outcome.RetryAfter);
            case LoginResult.Success when outcome.Identity is { } identity:
                // False only when the account changed while its credentials were checked (a new password, a
                // lock): the sign-in must not land after the change and keep what it took away.
                if (!signedIn.TrySignIn(session, identity))
                {
                    return LoginResult.AuthError;
                }

                LogLogin(logger, identity.Username, identity.CredentialType, session.SessionId,
                    session.RemoteAddress?.ToString());
                return LoginResult.Success;
            case LoginResult.Expired:
                return LoginResult.Expired;
            default:
                return LoginResult.AuthError;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Username} signed in with {Credential} on session {SessionId} from {RemoteAddress}")]
    private static partial void LogLogin(
        ILogger logger, string username, string credential, string sessionId, string? remoteAddress);
}
