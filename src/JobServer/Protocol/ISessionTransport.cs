using System.Net.WebSockets;
using JobServer.Calls;
using JobServer.Events;

namespace JobServer.Protocol;

/// <summary>What the event hub and the daemon may ask of a connection, whatever its dialect.</summary>
internal interface ISessionTransport
{
    /// <summary>Queues an event for a subscription; false when the connection cannot keep up (it is then closed).</summary>
    bool TrySendEvent(CollectionEvent collectionEvent);

    /// <summary>Tells the client a subscription ended (DDP <c>nosub</c>, JSON-RPC <c>notify_unsubscribed</c>).</summary>
    void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error);

    /// <summary>Closes the connection with a close frame.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string description);
}
