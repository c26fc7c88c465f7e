using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sessions;

namespace JobServer.Auth;

/// <summary>
/// Every sign-in and sign-out goes through here: it signs the <see cref="ILiveSession"/> in or out, remembers when and
/// how (for <c>auth.sessions</c>), publishes the <c>auth.sessions</c> collection, keeps the tokens a session
/// signed in with alive while it is used, and destroys the tokens a session made when it logs out. A session that
/// loses rights (signed out, or narrowed by <see cref="AccountSessions"/>) loses the subscriptions it may no longer
/// hold. Sign-ins and account changes take one lock, so no sign-in checked before a change lands after it.
/// </summary>
internal sealed class SignedInSessions
{
    public const string Collection = "auth.sessions";

    private readonly ConcurrentDictionary<string, SignInEntry> _signedIn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _accountVersions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly EventHub _events;
    private readonly ITokenStore _tokens;
    private readonly TimeProvider _time;

    public SignedInSessions(EventHub events, SessionRegistry sessions, ITokenStore tokens, TimeProvider time)
    {
        _events = events;
        _tokens = tokens;
        _time = time;
        events.Register(new EventDescriptor(
            Collection, "Sessions signing in and out", caller => caller.HasRole(Role.FullAdmin)));
        // A dropped connection ends its sign-in, but not the tokens it made: a client reconnects with one.
        sessions.Removed += session => _ = End(session, revokeTokens: false);
    }

    /// <summary>How many times the account has changed; read before checking credentials (see <see cref="TrySignIn"/>).</summary>
    public long AccountVersion(string username)
    {
        lock (_gate)
        {
            return _accountVersions.GetValueOrDefault(username);
        }
    }

    /// <summary>
    /// Signs the session in, unless the account changed (deleted, locked, demoted, new password) after the identity
    /// was checked: then false, and the session stays as it was.
    /// </summary>
    public bool TrySignIn(ILiveSession session, SignInIdentity identity)
    {
        lock (_gate)
        {
            if (_accountVersions.GetValueOrDefault(identity.Username) != identity.AccountVersion)
            {
                return false;
            }

            session.SignIn(identity.Username, identity.Roles, identity.CredentialType);
            var entry = new SignInEntry(session, _time.GetUtcNow(), identity.TokenHash, identity.ApiKeyId);
            var replaced = _signedIn.TryGetValue(session.SessionId, out _);
            _signedIn[session.SessionId] = entry;
            _events.Publish(Collection, replaced ? EventKind.Changed : EventKind.Added, session.SessionId,
                Describe(entry, current: null));
        }

        DropForbiddenSubscriptions(session);
        return true;
    }

    /// <summary>
    /// Signs the session out (logout, termination) and destroys the tokens it made: done when they are gone
    /// everywhere (on a cluster, from the shared database too).
    /// </summary>
    public Task SignOutAsync(ILiveSession session) => End(session, revokeTokens: true);

    /// <summary>A signed-in session made a call: the token it signed in with stays alive (sliding ttl).</summary>
    public void NotifyActivity(string sessionId)
    {
        if (_signedIn.TryGetValue(sessionId, out var entry) && entry.TokenHash is { } hash)
        {
            _tokens.NotifyUsed(hash);
        }
    }

    /// <summary>The signed-in sessions as <c>auth.sessions</c> shows them.</summary>
    public IEnumerable<JsonObject> Describe(string callerSessionId) =>
        _signedIn.Values.OrderBy(s => s.CreatedAt)
            .Select(entry => Describe(entry, current: entry.Session.SessionId == callerSessionId));

    /// <summary>
    /// An account changed: under the sign-in lock its version moves on (so sign-ins checked before the change fail)
    /// and <paramref name="decide"/> says, for each session signed in as it, what becomes of it.
    /// </summary>
    /// <returns>How many sessions ended and how many were changed.</returns>
    public (int Ended, int Changed) ChangeAccount(string username, Func<ILiveSession, SessionFate> decide)
    {
        var ended = new List<ILiveSession>();
        var changed = new List<ILiveSession>();
        lock (_gate)
        {
            _accountVersions[username] = _accountVersions.GetValueOrDefault(username) + 1;
            foreach (var entry in _signedIn.Values.Where(e => e.Session.Caller.Username == username))
            {
                var fate = decide(entry.Session);
                if (fate.End)
                {
                    // Every fate that ends a session also costs the account its tokens, which the caller revokes
                    // (and awaits) after this lock: this session's are among them.
                    _ = End(entry.Session, revokeTokens: true);
                    ended.Add(entry.Session);
                }
                else if (fate.Username is { } newName && fate.Roles is { } roles)
                {
                    entry.Session.SignIn(newName, roles, entry.Session.Caller.CredentialType!);
                    _events.Publish(Collection, EventKind.Changed, entry.Session.SessionId, Describe(entry, current: null));
                    changed.Add(entry.Session);
                }
            }
        }

        foreach (var session in changed)
        {
            DropForbiddenSubscriptions(session);
        }

        return (ended.Count, changed.Count);
    }

    /// <summary>Signs out every session that signed in with the API key (revoked or deleted), and destroys their tokens.</summary>
    public async Task<int> EndApiKeySessionsAsync(long keyId)
    {
        var revocations = _signedIn.Values.Where(e => e.ApiKeyId == keyId)
            .Select(entry => End(entry.Session, revokeTokens: true)).ToList();
        await Task.WhenAll(revocations);
        return revocations.Count;
    }

    /// <returns>The revocation of the session's tokens: at once in memory, one round trip on a cluster's shared
    /// database (so it is started here, possibly under the lock, and awaited by whoever can).</returns>
    private Task End(ILiveSession session, bool revokeTokens)
    {
        var revoked = revokeTokens ? _tokens.RevokeCreatedByAsync(session.SessionId) : Task.CompletedTask;
        session.SignOut();
        if (_signedIn.TryRemove(session.SessionId, out _))
        {
            _events.Publish(Collection, EventKind.Removed, session.SessionId, null);
        }

        if (revokeTokens)
        {
            // Only for a live connection: a dropped one's subscriptions go with it.
            DropForbiddenSubscriptions(session);
        }

        return revoked;
    }

    /// <summary>
    /// Ends the subscriptions the session's rights no longer cover (a signed-out admin must stop receiving
    /// <c>user.query</c> events), telling the client as an ended event source (DDP <c>nosub</c>).
    /// </summary>
    private void DropForbiddenSubscriptions(ILiveSession session)
    {
        foreach (var (id, name) in session.Subscriptions)
        {
            if (_events.Check(session.Caller, name) == SubscriptionCheck.NotAuthorized && _events.Unsubscribe(session, id))
            {
                session.SendUnsubscribed(id, name, session.Caller.IsAuthenticated
                    ? ErrorMapper.Call("Not authorized", Errno.EACCES)
                    : ErrorMapper.Call("Not authenticated", Errno.ENOTAUTHENTICATED));
            }
        }
    }

    /// <summary>One session's entry; <c>current</c> only in answers (an event is shared by every subscriber).</summary>
    private static JsonObject Describe(SignInEntry entry, bool? current)
    {
        var session = entry.Session;
        var result = new JsonObject { ["id"] = session.SessionId };
        if (current is { } isCurrent)
        {
            result["current"] = isCurrent;
        }

        result["origin"] = session.RemoteAddress?.ToString();
        result["credentials"] = session.Caller.CredentialType;
        result["username"] = session.Caller.Username;
        result["created_at"] = new JsonObject { ["$date"] = entry.CreatedAt.ToUnixTimeMilliseconds() };
        return result;
    }

    private sealed record SignInEntry(ILiveSession Session, DateTimeOffset CreatedAt, string? TokenHash, long? ApiKeyId);
}
