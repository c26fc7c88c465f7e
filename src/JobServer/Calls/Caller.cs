using System.Collections.Frozen;
using System.Net;
using JobServer.Sdk;

namespace JobServer.Calls;

/// <summary>
/// Who makes a call, whatever door it came through (a WebSocket session, an HTTP request, a job calling on behalf
/// of its submitter): identity, roles, how it authenticated, and where from. Immutable: a WebSocket session makes
/// a new one at each sign-in and sign-out, so a call runs as whoever was signed in when it started. Nothing here
/// knows about connections; what needs one declares an <c>ILiveSession</c> parameter instead.
/// </summary>
internal sealed class Caller(
    string sessionId, string? username, IEnumerable<string> roles, string? credentialType, IPAddress? clientAddress)
    : ICallContext
{
    /// <summary>The session the call belongs to: a WebSocket session's id, <c>http</c>, or a job's submitter's.</summary>
    public string SessionId { get; } = sessionId;

    public string? Username { get; } = username;

    public IReadOnlySet<string> Roles { get; } = roles as FrozenSet<string> ?? roles.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>How the caller authenticated (such as <c>LOGIN_PASSWORD</c>), or null.</summary>
    public string? CredentialType { get; } = credentialType;

    /// <summary>The client's address; null when the call comes from inside the daemon (a job, <c>core.bulk</c>).</summary>
    public IPAddress? ClientAddress { get; } = clientAddress;

    public bool IsAuthenticated => Username is not null;

    /// <summary>Whether the caller holds the role (a full admin holds every role).</summary>
    public bool HasRole(string role) => Roles.Contains(Role.FullAdmin) || Roles.Contains(role);

    /// <summary>Nobody signed in yet, on a session from <paramref name="clientAddress"/>.</summary>
    public static Caller Anonymous(string sessionId, IPAddress? clientAddress) =>
        new(sessionId, null, FrozenSet<string>.Empty, null, clientAddress);

    /// <summary>
    /// The caller a call made on behalf of <paramref name="context"/> runs as: itself when it is a caller already,
    /// else its identity without an address (a job's stored submitter, calling again from <c>core.bulk</c>).
    /// </summary>
    public static Caller From(ICallContext context) =>
        context as Caller ?? new Caller(context.SessionId, context.Username, context.Roles, context.CredentialType, null);
}
