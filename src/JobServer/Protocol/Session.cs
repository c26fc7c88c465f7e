using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Net;
using System.Net.WebSockets;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Sdk;
using JobServer.Sessions;

namespace JobServer.Protocol;

/// <summary>
/// One client connection's state, whatever the protocol: who is signed in, its subscriptions and options.
/// Calls on one connection run concurrently, so every mutable field is safe to read from any thread.
/// </summary>
internal sealed class Session : ILiveSession
{
    private volatile Caller _caller;

    public Session(string sessionId, IPAddress? remoteAddress, ISessionTransport transport)
    {
        SessionId = sessionId;
        RemoteAddress = remoteAddress;
        Transport = transport;
        _caller = Caller.Anonymous(sessionId, remoteAddress);
    }

    public string SessionId { get; }

    public IPAddress? RemoteAddress { get; }

    public ISessionTransport Transport { get; }

    /// <summary>Who is signed in now; a call takes this once, at its start.</summary>
    public Caller Caller => _caller;

    public string? Username => _caller.Username;

    public bool IsAuthenticated => _caller.IsAuthenticated;

    public ConcurrentDictionary<string, string> Subscriptions { get; } = new(StringComparer.Ordinal);

    public ConnectionOptions Options { get; set; } = ConnectionOptions.Default;

    string IEventSubscriber.SubscriberId => SessionId;

    ICallContext IEventSubscriber.Identity => _caller;

    public void SignIn(string username, IEnumerable<string> roles, string credentialType) =>
        _caller = new Caller(SessionId, username, roles.ToFrozenSet(StringComparer.Ordinal), credentialType,
            RemoteAddress);

    public void SignOut() => _caller = Caller.Anonymous(SessionId, RemoteAddress);

    public bool TrySendEvent(CollectionEvent collectionEvent) => Transport.TrySendEvent(collectionEvent);

    public void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error) =>
        Transport.SendUnsubscribed(subscriptionId, collection, error);

    public Task CloseAsync(WebSocketCloseStatus status, string description) =>
        Transport.CloseAsync(status, description);
}
