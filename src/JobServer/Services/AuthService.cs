using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Auth;
using JobServer.Protocol;
using JobServer.Sdk;

namespace JobServer.Services;

/// <summary>
/// <c>auth.*</c>: signing a session in (password, API key, token; <c>login_ex</c>) and out, who it is, tokens, and
/// the list of signed-in sessions. Every sign-in and sign-out goes through <see cref="SignedInSessions"/>.
/// </summary>
internal sealed partial class AuthService(
    AccountStore accounts,
    SignedInSessions signedIn,
    TokenStore tokens,
    ApiKeyAuthenticator apiKeys,
    SessionRegistry sessions,
    FailedLogins failedLogins,
    ILogger<AuthService> logger) : Service
{
    private const string PasswordCredential = "LOGIN_PASSWORD";
    private const string ApiKeyCredential = "API_KEY";
    private const string TokenCredential = "TOKEN";

    [NoAuth]
    [Description("Signs the session in with a username and password; false when they do not match.")]
    public async Task<bool> Login(ICallContext caller, string username, [Secret] string password,
        string? otpToken = null, CancellationToken cancellationToken = default) =>
        await PasswordLoginAsync((Session)caller, username, password, cancellationToken) == LoginResult.Success;

    [Roles(Role.Authenticated)]
    [Description("Signs the session out; the tokens it made stop working.")]
    public bool Logout(ICallContext caller)
    {
        signedIn.SignOut((Session)caller);
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

    private async Task<LoginResult> PasswordLoginAsync(
        Session session, string username, string password, CancellationToken cancellationToken)
    {
        var account = await accounts.VerifyAsync(username, password, cancellationToken);
        if (account is null)
        {
            await FailAsync(session, username, PasswordCredential, cancellationToken);
            return LoginResult.AuthError;
        }

        SignIn(session, account.Username, account.RoleSet, PasswordCredential);
        return LoginResult.Success;
    }

    private async Task<LoginResult> ApiKeyLoginAsync(
        Session session, string key, string? username, CancellationToken cancellationToken)
    {
        var check = await apiKeys.VerifyAsync(key, username, cancellationToken);
        if (check.Result != LoginResult.Success)
        {
            await FailAsync(session, check.Username ?? username ?? "", ApiKeyCredential, cancellationToken);
            return check.Result;
        }

        SignIn(session, check.Username!, check.Roles, ApiKeyCredential);
        return LoginResult.Success;
    }

    private async Task<LoginResult> TokenLoginAsync(Session session, string token, CancellationToken cancellationToken)
    {
        // A token made for something else (attrs such as a download's job) does not sign a session in.
        if (!tokens.TryUse(token, session.RemoteAddress, info => info.Attributes.Count == 0, out var info, out var hash))
        {
            failedLogins.Record("", TokenCredential, session.RemoteAddress);
            return LoginResult.AuthError;
        }

        var account = await accounts.FindAsync(info.Username, cancellationToken);
        if (account is null || account.Locked)
        {
            failedLogins.Record(info.Username, TokenCredential, session.RemoteAddress);
            return LoginResult.AuthError;
        }

        // The token's roles, less any the account has lost since it was made.
        var held = account.RoleSet;
        SignIn(session, account.Username, info.Roles.Where(role => KnownRoles.Grants(held, role)), TokenCredential,
            hash);
        return LoginResult.Success;
    }

    private void SignIn(Session session, string username, IEnumerable<string> roles, string credential,
        string? tokenHash = null)
    {
        signedIn.SignIn(session, username, roles, credential, tokenHash);
        LogLogin(logger, username, credential, session.SessionId, session.RemoteAddress?.ToString());
    }

    /// <summary>Logs a failed attempt and holds the answer, so guessing over one connection is slow.</summary>
    private Task FailAsync(Session session, string username, string credential, CancellationToken cancellationToken) =>
        failedLogins.RecordAndHoldAsync(username, credential, session.RemoteAddress, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Username} signed in with {Credential} on session {SessionId} from {RemoteAddress}")]
    private static partial void LogLogin(
        ILogger logger, string username, string credential, string sessionId, string? remoteAddress);
}
