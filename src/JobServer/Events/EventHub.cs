using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Events;

/// <summary>
/// Routes collection events to the subscribers of them (by exact name or <c>*</c>): WebSocket sessions, or internal
/// <see cref="IEventSubscriber"/>s. Publishing never blocks: each connection has its own bounded outbound queue,
/// and one that cannot keep up is closed.
/// </summary>
internal sealed partial class EventHub(ILogger<EventHub> logger) : IEventPublisher
{
    public const string Wildcard = "*";

    private readonly ConcurrentDictionary<string, EventDescriptor> _events = new(StringComparer.Ordinal);

    // collection name (or "*") → subscribers → how many subscriptions that subscriber holds on it.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<IEventSubscriber, int>> _subscribers =
        new(StringComparer.Ordinal);

    public IEnumerable<EventDescriptor> Events => _events.Values.OrderBy(e => e.Name, StringComparer.Ordinal);

    public void Register(EventDescriptor descriptor) => _events[descriptor.Name] = descriptor;

    public bool TryGetEvent(string name, out EventDescriptor descriptor) => _events.TryGetValue(name, out descriptor!);

    /// <summary>
    /// Whether a caller may subscribe to a name: a registered collection it is allowed to see, or <c>*</c> once
    /// signed in (it then receives only what it could subscribe to by name). Every dialect asks this first.
    /// </summary>
    public SubscriptionCheck Check(ICallContext caller, string name)
    {
        // A device agent's key (BATCH_AGENT, a limit) subscribes to nothing: its tasks come to its session unasked.
        if (caller.Roles.Contains(Role.BatchAgent))
        {
            return SubscriptionCheck.NotAuthorized;
        }

        if (name == Wildcard)
        {
            return caller.IsAuthenticated ? SubscriptionCheck.Allowed : SubscriptionCheck.NotAuthorized;
        }

        if (!_events.TryGetValue(name, out var descriptor))
        {
            return SubscriptionCheck.UnknownCollection;
        }

        return descriptor.CanSubscribe(caller) ? SubscriptionCheck.Allowed : SubscriptionCheck.NotAuthorized;
    }

    /// <summary>Subscribes; the caller has asked <see cref="Check"/> first.</summary>
    public void Subscribe(IEventSubscriber subscriber, string subscriptionId, string name)
    {
        if (!subscriber.Subscriptions.TryAdd(subscriptionId, name))
        {
            return; // A repeated sub id is ignored, as Meteor does.
        }

        _subscribers.GetOrAdd(name, _ => new ConcurrentDictionary<IEventSubscriber, int>())
            .AddOrUpdate(subscriber, 1, (_, count) => count + 1);
    }

    public bool Unsubscribe(IEventSubscriber subscriber, string subscriptionId)
    {
        if (!subscriber.Subscriptions.TryRemove(subscriptionId, out var name))
        {
            return false;
        }

        if (_subscribers.TryGetValue(name, out var subscribers))
        {
            subscribers.AddOrUpdate(subscriber, 0, (_, count) => count - 1);
            if (subscribers.TryGetValue(subscriber, out var remaining) && remaining <= 0)
            {
                subscribers.TryRemove(subscriber, out _);
            }
        }

        return true;
    }

    /// <summary>Ends every subscription of a subscriber that goes away (a closed connection).</summary>
    public void RemoveSubscriber(IEventSubscriber subscriber)
    {
        foreach (var subscriptionId in subscriber.Subscriptions.Keys.ToArray())
        {
            Unsubscribe(subscriber, subscriptionId);
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
        if (!_subscribers.TryGetValue(subscribedName, out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers.Keys)
        {
            var identity = subscriber.Identity;
            // "*" subscribers get only what they could have subscribed to by name.
            if (descriptor is not null && subscribedName == Wildcard && !descriptor.CanSubscribe(identity))
            {
                continue;
            }

            if (descriptor?.ShouldSend is { } filter && !filter(identity, collectionEvent))
            {
                continue;
            }

            if (!subscriber.TrySendEvent(collectionEvent))
            {
                LogSlowSubscriber(logger, subscriber.SubscriberId, collectionEvent.Collection);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Subscriber {SubscriberId} could not keep up with events on {Collection}; closing it")]
    private static partial void LogSlowSubscriber(ILogger logger, string subscriberId, string collection);
}
