using System.Net;
using System.Net.WebSockets;
using JobServer.Calls;
using JobServer.Events;

namespace JobServer.Sessions;

/// <summary>
/// A live client connection, for the methods that act on it: subscribing it to events, changing its options,
/// signing it in or out. Such a method declares a parameter of this type; the registry recognises it and the
/// Dispatcher fills it from the request. A call without a connection (from <c>core.bulk</c>, a job, or an HTTP
/// door) is refused before it runs (ENOTSUP), so nothing happens half-way.
/// </summary>
internal interface ILiveSession : IEventSubscriber
{
    string SessionId { get; }

    IPAddress? RemoteAddress { get; }

    /// <summary>Who is signed in now (anonymous until a sign-in).</summary>
    Caller Caller { get; }

    /// <summary>The connection's <c>core.set_options</c> switches, replaced whole.</summary>
    ConnectionOptions Options { get; set; }

    void SignIn(string username, IEnumerable<string> roles, string credentialType);

    void SignOut();

    /// <summary>Tells the client a subscription ended (DDP <c>nosub</c>, JSON-RPC <c>notify_unsubscribed</c>).</summary>
    void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error);

    /// <summary>Closes the connection with a close frame.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string description);
}
