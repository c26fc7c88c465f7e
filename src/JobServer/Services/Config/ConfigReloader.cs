using JobServer.Auth;
using JobServer.Sessions;
using JobServer.Settings;

namespace JobServer.Services.Config;

/// <summary>
/// Makes the running daemon follow a restored configuration without a restart: settings, tokens, sign-ins.
/// </summary>
internal sealed partial class ConfigReloader(
    GeneralSettings settings,
    GeneralSettingsStore store,
    ITokenStore tokens,
    SessionRegistry sessions,
    SignedInSessions signedIn,
    ILogger<ConfigReloader> logger)
{
    /// <summary>As AuthService names a session signed in with an API key.</summary>
    private const string ApiKeyCredential = "API_KEY";

    /// <param name="previousUsernames">The accounts before the restore.</param>
    /// <param name="accounts">The accounts after it.</param>
    public async Task ReloadAsync(IReadOnlyList<string> previousUsernames, IReadOnlyList<ConfigAccount> accounts,
        CancellationToken cancellationToken)
    {
        // Applying raises GeneralSettings.Changed, which the run-time applier (log level, limits) listens to.
        settings.Apply(await store.LoadAsync(cancellationToken));

        // Tokens live in memory, outside the restored tables, and name their account: every account that existed
        // before or exists now loses its tokens, so none outlives the accounts it was made for.
        var revoked = 0;
        foreach (var username in previousUsernames.Concat(accounts.Select(a => a.Username)).Distinct(StringComparer.Ordinal))
        {
            revoked += await tokens.RevokeUserAsync(username);
        }

        var restored = accounts.ToDictionary(a => a.Username, StringComparer.Ordinal);
        var signedOut = 0;
        foreach (var session in sessions.All)
        {
            if (session.Caller.Username is { } username && !MayStaySignedIn(session, restored.GetValueOrDefault(username)))
            {
                await signedIn.SignOutAsync(session);
                signedOut++;
            }
        }

        LogReloaded(logger, revoked, signedOut);
    }

    /// <summary>
    /// A sign-in survives only when its account still exists, unlocked, and still grants every role the session
    /// holds (roles are fixed at sign-in). API-key sessions always end: the session does not say which key it used,
    /// and the restored key with that id may be another key altogether.
    /// </summary>
    private static bool MayStaySignedIn(ILiveSession session, ConfigAccount? account) =>
        account is { Locked: false } && session.Caller.CredentialType != ApiKeyCredential &&
        session.Caller.Roles.All(role => KnownRoles.Grants(account.Roles, role));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Restored configuration applied: {Tokens} token(s) revoked, {Sessions} session(s) signed out")]
    private static partial void LogReloaded(ILogger logger, int tokens, int sessions);
}
