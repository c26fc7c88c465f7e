namespace JobServer.Client;

public sealed partial class JobServerClient
{
    // One daemon subscription per collection, shared by every local subscriber of it: events carry their
    // collection, not a subscription id, so two daemon subscriptions to one collection would deliver each event twice.
    private readonly Dictionary<string, List<JobServerSubscription>> _subscribers = [];
    private readonly Dictionary<string, string> _daemonSubscriptionIds = [];

    // Collections the daemon pushes to this connection without a subscription (Listen): never core.subscribe'd.
    private readonly HashSet<string> _pushedOnly = [];

    /// <summary>
    /// Receives the events of a collection the daemon sends this connection unasked, without subscribing to it
    /// (a device agent's tasks, <c>batch.agent.task</c>, after <c>batch.agent.register</c>): nothing is called on
    /// the daemon, now or after a reconnect. Listen before the call that makes the daemon send, so no event is
    /// missed.
    /// </summary>
    public JobServerSubscription Listen(string collection)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        var subscription = new JobServerSubscription(this, collection);
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(collection, out var list))
            {
                _subscribers[collection] = list = [];
                _pushedOnly.Add(collection);
            }

            list.Add(subscription);
        }

        return subscription;
    }

    /// <summary>
    /// Subscribes to a collection (see <c>core.get_events</c>) or <c>*</c>; returns once the daemon has accepted, so
    /// every later event reaches it.
    /// </summary>
    /// <exception cref="JobServerCallException">Refused (unknown collection: errno 2; not allowed: 13 or 207).</exception>
    public async Task<JobServerSubscription> SubscribeAsync(string collection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        var subscription = new JobServerSubscription(this, collection);
        bool first;
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(collection, out var list))
            {
                _subscribers[collection] = list = [];
            }

            list.Add(subscription);
            first = list.Count == 1;
        }

        if (first)
        {
            try
            {
                var id = await CallAsync<string>("core.subscribe", [collection], cancellationToken);
                lock (_gate)
                {
                    _daemonSubscriptionIds[collection] = id;
                }
            }
            catch
            {
                Remove(subscription);
                throw;
            }
        }

        return subscription;
    }

    internal async Task UnsubscribeAsync(JobServerSubscription subscription)
    {
        if (Remove(subscription) is not { } daemonId || _disposed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await CallAsync("core.unsubscribe", [daemonId]);
        }
        catch (Exception e) when (e is JobServerConnectionException or JobServerCallException or TimeoutException
                                      or ObjectDisposedException)
        {
            // Gone with the connection, or the daemon already ended it: nothing left to undo.
        }
    }

    /// <summary>Removes a local subscriber; the daemon's subscription id when it was the collection's last.</summary>
    private string? Remove(JobServerSubscription subscription)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(subscription.Collection, out var list) || !list.Remove(subscription)
                || list.Count > 0)
            {
                return null;
            }

            _subscribers.Remove(subscription.Collection);
            _pushedOnly.Remove(subscription.Collection);
            return _daemonSubscriptionIds.Remove(subscription.Collection, out var id) ? id : null;
        }
    }

    private void OnPush(InboundMessage message)
    {
        lock (_gate)
        {
            switch (message)
            {
                case InboundMessage.Event { Value: var e }:
                    foreach (var name in (string[])[e.Collection, "*"])
                    {
                        if (_subscribers.TryGetValue(name, out var list))
                        {
                            list.ForEach(s => s.Deliver(e));
                        }
                    }

                    break;
                case InboundMessage.Unsubscribed ended when _subscribers.Remove(ended.Collection, out var list):
                    _daemonSubscriptionIds.Remove(ended.Collection);
                    var error = ended.Error?.Invoke("core.subscribe");
                    list.ForEach(s => s.Complete(error));
                    break;
            }
        }
    }

    /// <summary>After a reconnect: subscribes the new connection to every collection that has local subscribers.</summary>
    private async Task ResubscribeAsync(Connection connection, CancellationToken cancellationToken)
    {
        string[] collections;
        lock (_gate)
        {
            collections = [.. _subscribers.Keys.Where(c => !_pushedOnly.Contains(c))];
        }

        foreach (var collection in collections)
        {
            try
            {
                var id = await connection.CallAsync("core.subscribe", [collection], _options.SerializerOptions,
                    cancellationToken);
                lock (_gate)
                {
                    _daemonSubscriptionIds[collection] = id.GetString()!;
                }
            }
            catch (JobServerCallException refused)
            {
                // The account lost the right (or the collection is gone): those subscribers end with the reason.
                lock (_gate)
                {
                    if (_subscribers.Remove(collection, out var list))
                    {
                        list.ForEach(s => s.Complete(refused));
                    }
                }
            }
        }
    }

    private void CompleteSubscriptions(Exception error)
    {
        lock (_gate)
        {
            foreach (var list in _subscribers.Values)
            {
                list.ForEach(s => s.Complete(error));
            }

            _subscribers.Clear();
            _daemonSubscriptionIds.Clear();
            _pushedOnly.Clear();
        }
    }
}
