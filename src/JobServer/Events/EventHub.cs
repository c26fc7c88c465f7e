using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Protocol;
using JobServer.Sdk;

namespace JobServer.Events;

/// <summary>
/// Routes collection events to the sessions subscribed to them (by exact name or <c>*</c>). Publishing never
/// blocks: each connection has its own bounded outbound queue, and one that cannot keep up is closed.
/// </summary>
internal sealed partial class EventHub(ILogger<EventHub> logger) : IEventPublisher
{
    public const string Wildcard = "*";

    private readonly ConcurrentDictionary<string, EventDescriptor> _events = new(StringComparer.Ordinal);

    // collection name (or "*") → subscribed sessions → how many subscriptions that session holds on it.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Session, int>> _subscribers =
        new(StringComparer.Ordinal);

    public IEnumerable<EventDescriptor> Events => _events.Values.OrderBy(e => e.Name, StringComparer.Ordinal);

    public void Register(EventDescriptor descriptor) => _events[descriptor.Name] = descriptor;

    public bool TryGetEvent(string name, out EventDescriptor descriptor) => _events.TryGetValue(name, out descriptor!);

    /// <summary>
    /// Whether a session may subscribe to a name: a registered collection it is allowed to see, or <c>*</c> once
    /// signed in (it then receives only what it could subscribe to by name). Every dialect asks this first.
    /// </summary>
    public SubscriptionCheck Check(Session session, string name)
    {
        if (name == Wildcard)
        {
            return session.IsAuthenticated ? SubscriptionCheck.Allowed : SubscriptionCheck.NotAuthorized;
        }

        if (!_events.TryGetValue(name, out var descriptor))
        {
            return SubscriptionCheck.UnknownCollection;
        }

        return descriptor.CanSubscribe(session) ? SubscriptionCheck.Allowed : SubscriptionCheck.NotAuthorized;
    }

    /// <summary>Subscribes; the caller has asked <see cref="Check"/> first.</summary>
    public void Subscribe(Session session, string subscriptionId, string name)
    {
        if (!session.Subscriptions.TryAdd(subscriptionId, name))
        {
            return; // A repeated sub id is ignored, as Meteor does.
        }

        _subscribers.GetOrAdd(name, _ => new ConcurrentDictionary<Session, int>())
            .AddOrUpdate(session, 1, (_, count) => count + 1);
    }

    public bool Unsubscribe(Session session, string subscriptionId)
    {
        if (!session.Subscriptions.TryRemove(subscriptionId, out var name))
        {
            return false;
        }

        if (_subscribers.TryGetValue(name, out var sessions))
        {
            sessions.AddOrUpdate(session, 0, (_, count) => count - 1);
            if (sessions.TryGetValue(session, out var remaining) && remaining <= 0)
            {
                sessions.TryRemove(session, out _);
            }
        }

        return true;
    }

    public void RemoveSession(Session session)
    {
        foreach (var subscriptionId in session.Subscriptions.Keys.ToArray())
        {
            Unsubscribe(session, subscriptionId);
        }
    }

    public void Publish(string collection, EventKind kind, JsonNode? id, JsonNode? fields) =>
        Publish(new CollectionEvent(collection, kind, id, fields));

    public void Publish(CollectionEvent collectionEvent)
    {
        _events.TryGetValue(collectionEvent.Collection, out var descriptor);
        Deliver(collectionEvent, descriptor, collectionEvent.Collection);
        Deliver(collectionEvent, descriptor, Wildcard);
    }

    private void Deliver(CollectionEvent collectionEvent, EventDescriptor? descriptor, string subscribedName)
    {
        if (!_subscribers.TryGetValue(subscribedName, out var sessions))
        {
            return;
        }

        foreach (var session in sessions.Keys)
        {
            // "*" subscribers get only what they could have subscribed to by name.
            if (descriptor is not null && subscribedName == Wildcard && !descriptor.CanSubscribe(session))
            {
                continue;
            }

            if (descriptor?.ShouldSend is { } filter && !filter(session, collectionEvent))
            {
                continue;
            }

            if (!session.Transport.TrySendEvent(collectionEvent))
            {
                LogSlowSubscriber(logger, session.SessionId, collectionEvent.Collection);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Session {SessionId} could not keep up with events on {Collection}; closing it")]
    private static partial void LogSlowSubscriber(ILogger logger, string sessionId, string collection);
}
