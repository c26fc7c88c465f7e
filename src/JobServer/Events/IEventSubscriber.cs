using System.Collections.Concurrent;
using JobServer.Sdk;

namespace JobServer.Events;

/// <summary>
/// What the <see cref="EventHub"/> needs of a subscriber: who it is (for each collection's
/// <see cref="EventDescriptor.CanSubscribe"/> and <see cref="EventDescriptor.ShouldSend"/> filters), the
/// subscriptions it holds, and a way to hand it an event without blocking. A WebSocket session is one; an internal
/// subscriber (a callback sender, metrics, a relay to other nodes) can be another, without a socket.
/// </summary>
internal interface IEventSubscriber
{
    /// <summary>Names the subscriber in logs (a session id).</summary>
    string SubscriberId { get; }

    /// <summary>Whose rights the filters check, read at each event: a session's sign-in may change.</summary>
    ICallContext Identity { get; }

    /// <summary>Subscription id → collection name (or <c>*</c>).</summary>
    ConcurrentDictionary<string, string> Subscriptions { get; }

    /// <summary>
    /// Takes an event without blocking the publisher; false when the subscriber cannot keep up (a connection is
    /// then closed).
    /// </summary>
    bool TrySendEvent(CollectionEvent collectionEvent);
}
