using System.Net.WebSockets;
using JobServer.Calls;
using JobServer.Events;

namespace JobServer.Protocol;

/// <summary>What a <see cref="Session"/> asks of its connection, whatever its dialect (the rest of the daemon sees the
/// session only as an <see cref="Sessions.ILiveSession"/>).</summary>
internal interface ISessionTransport
{
    /// <summary>Queues an event for a subscription; false when the connection cannot keep up (it is then closed).</summary>
    bool TrySendEvent(CollectionEvent collectionEvent);

    /// <summary>Tells the client a subscription ended (DDP <c>nosub</c>, JSON-RPC <c>notify_unsubscribed</c>).</summary>
    void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error);

    /// <summary>Closes the connection with a close frame.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string description);
}
