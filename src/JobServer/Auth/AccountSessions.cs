using JobServer.Sessions;

namespace JobServer.Auth;

/// <summary>
/// Makes live sessions and tokens follow a change of their account, at once rather than at their next sign-in
/// (issue 12: a deleted or locked FULL_ADMIN kept full rights on its open sessions, and could create a new admin).
/// <list type="bullet">
/// <item>Deleted or locked: every session signed in as it ends (password, token or API key alike).</item>
/// <item>New password: every session ends but the one that changed it, when the account changed its own
/// password (the common choice: the person at the keyboard stays signed in, any other holder of the old
/// password is out).</item>
/// <item>Demoted: its sessions are narrowed to the roles it still holds (they stay signed in with less).</item>
/// <item>Renamed: its sessions go on under the new name.</item>
/// </list>
/// Every token the account made dies with any of these changes, the changing session's own included.
/// </summary>
internal sealed partial class AccountSessions(SignedInSessions signedIn, ITokenStore tokens, ILogger<AccountSessions> logger)
{
    /// <summary>
    /// A change made on this daemon was applied here (the nodes of a cluster pass it on to the others, whose
    /// sessions signed in as the account must follow it too: <c>Cluster/PeerConfigRelay</c>).
    /// </summary>
    public event Action<AccountChange>? Applied;

    /// <param name="change">What changed (already committed).</param>
    /// <param name="callerSessionId">The session that made the change (kept on a change of its own password).</param>
    public async Task ApplyAsync(AccountChange change, string? callerSessionId)
    {
        await ApplyHereAsync(change, callerSessionId);
        Applied?.Invoke(change);
    }

    /// <summary>
    /// A change another node of the cluster made: its sessions here follow it as they would on that node (none of
    /// them made the change, so a new password signs every one of them out). Not passed on again.
    /// </summary>
    public Task ApplyFromPeerAsync(AccountChange change) => ApplyHereAsync(change, callerSessionId: null);

    private async Task ApplyHereAsync(AccountChange change, string? callerSessionId)
    {
        var (ended, narrowed) = signedIn.ChangeAccount(change.Username, session => Decide(session, change, callerSessionId));
        if (change.Renamed)
        {
            // Sign-ins of the new name checked before the rename must fail too.
            signedIn.ChangeAccount(change.NewUsername, _ => SessionFate.Unchanged);
        }

        var revoked = LosesTokens(change) ? await tokens.RevokeUserAsync(change.Username) : 0;
        if (ended + narrowed + revoked > 0)
        {
            LogApplied(logger, change.Username, ended, narrowed, revoked);
        }
    }

    private static SessionFate Decide(ILiveSession session, AccountChange change, string? callerSessionId)
    {
        if (change.Deleted || change.Locked)
        {
            return SessionFate.SignOut;
        }

        if (change.PasswordChanged && session.SessionId != callerSessionId)
        {
            return SessionFate.SignOut;
        }

        var kept = KnownRoles.Narrow(session.Caller.Roles, change.Roles);
        return kept.ToHashSet(StringComparer.Ordinal).SetEquals(session.Caller.Roles) && !change.Renamed
            ? SessionFate.Unchanged
            : SessionFate.Keep(change.NewUsername, kept);
    }

    private static bool LosesTokens(AccountChange change) =>
        change.Deleted || change.Locked || change.PasswordChanged || change.Renamed || change.Demoted;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Account {Username} changed: {Ended} session(s) signed out, {Narrowed} changed, {Tokens} token(s) revoked")]
    private static partial void LogApplied(ILogger logger, string username, int ended, int narrowed, int tokens);
}
