using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using JobServer.Calls;
using JobServer.Sdk;

namespace JobServer.Protocol;

/// <summary>
/// One client connection's state, whatever the protocol: who is signed in, its subscriptions and options.
/// Calls on one connection run concurrently, so every mutable field is safe to read from any thread.
/// </summary>
internal sealed class Session(string sessionId, IPAddress? remoteAddress, ISessionTransport transport) : ICallContext
{
    private static readonly IReadOnlySet<string> NoRoles = FrozenSet<string>.Empty;
    private volatile Identity? _identity;

    public string SessionId { get; } = sessionId;

    public IPAddress? RemoteAddress { get; } = remoteAddress;

    public ISessionTransport Transport { get; } = transport;

    public string? Username => _identity?.Username;

    public IReadOnlySet<string> Roles => _identity?.Roles ?? NoRoles;

    /// <summary>How the session authenticated (such as <c>LOGIN_PASSWORD</c>), or null.</summary>
    public string? CredentialType => _identity?.CredentialType;

    public bool IsAuthenticated => _identity is not null;

    /// <summary>Subscription id → collection name.</summary>
    public ConcurrentDictionary<string, string> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>The connection's <c>core.set_options</c> switches, replaced whole.</summary>
    public ConnectionOptions Options { get; set; } = ConnectionOptions.Default;

    public void SignIn(string username, IEnumerable<string> roles, string credentialType) =>
        _identity = new Identity(username, roles.ToFrozenSet(StringComparer.Ordinal), credentialType);

    public void SignOut() => _identity = null;

    public bool HasRole(string role) => Roles.Contains(Role.FullAdmin) || Roles.Contains(role);

    private sealed record Identity(string Username, IReadOnlySet<string> Roles, string CredentialType);
}
