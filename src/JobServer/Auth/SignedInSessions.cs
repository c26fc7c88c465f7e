using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.Protocol;
using JobServer.Sdk;

namespace JobServer.Auth;

/// <summary>
/// Every sign-in and sign-out goes through here: it signs the <see cref="Session"/> in or out, remembers when and
/// how (for <c>auth.sessions</c>), publishes the <c>auth.sessions</c> collection, keeps the tokens a session
/// signed in with alive while it is used, and destroys the tokens a session made when it logs out.
/// </summary>
internal sealed class SignedInSessions
{
    public const string Collection = "auth.sessions";

    private readonly ConcurrentDictionary<string, SignInEntry> _signedIn = new(StringComparer.Ordinal);
    private readonly EventHub _events;
    private readonly TokenStore _tokens;
    private readonly TimeProvider _time;

    public SignedInSessions(EventHub events, SessionRegistry sessions, TokenStore tokens, TimeProvider time)
    {
        _events = events;
        _tokens = tokens;
        _time = time;
        events.Register(new EventDescriptor(
            Collection, "Sessions signing in and out", session => session.HasRole(Role.FullAdmin)));
        // A dropped connection ends its sign-in, but not the tokens it made: a client reconnects with one.
        sessions.Removed += session => End(session, revokeTokens: false);
    }

    public void SignIn(Session session, string username, IEnumerable<string> roles, string credentialType,
        string? tokenHash = null)
    {
        session.SignIn(username, roles, credentialType);
        var entry = new SignInEntry(session, _time.GetUtcNow(), tokenHash);
        var replaced = _signedIn.TryGetValue(session.SessionId, out _);
        _signedIn[session.SessionId] = entry;
        _events.Publish(Collection, replaced ? EventKind.Changed : EventKind.Added, session.SessionId,
            Describe(entry, current: null));
    }

    /// <summary>Signs the session out (logout, termination) and destroys the tokens it made.</summary>
    public void SignOut(Session session) => End(session, revokeTokens: true);

    /// <summary>A signed-in session made a call: the token it signed in with stays alive (sliding ttl).</summary>
    public void NotifyActivity(Session session)
    {
        if (_signedIn.TryGetValue(session.SessionId, out var entry) && entry.TokenHash is { } hash)
        {
            _tokens.NotifyUsed(hash);
        }
    }

    /// <summary>The signed-in sessions as <c>auth.sessions</c> shows them.</summary>
    public IEnumerable<JsonObject> Describe(Session caller) =>
        _signedIn.Values.OrderBy(s => s.CreatedAt)
            .Select(entry => Describe(entry, current: entry.Session.SessionId == caller.SessionId));

    private void End(Session session, bool revokeTokens)
    {
        if (revokeTokens)
        {
            _tokens.RevokeCreatedBy(session.SessionId);
        }

        session.SignOut();
        if (_signedIn.TryRemove(session.SessionId, out _))
        {
            _events.Publish(Collection, EventKind.Removed, session.SessionId, null);
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
        result["credentials"] = session.CredentialType;
        result["username"] = session.Username;
        result["created_at"] = new JsonObject { ["$date"] = entry.CreatedAt.ToUnixTimeMilliseconds() };
        return result;
    }

    private sealed record SignInEntry(Session Session, DateTimeOffset CreatedAt, string? TokenHash);
}
