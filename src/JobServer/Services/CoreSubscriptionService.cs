using System.ComponentModel;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Sessions;

namespace JobServer.Services;

/// <summary>
/// <c>core.subscribe</c>, <c>core.unsubscribe</c> and <c>core.set_options</c>: JSON-RPC's subscriptions are
/// methods (reference §2.4-2.5). They work on DDP connections too, whose events then arrive as DDP messages.
/// Each acts on the connection it is called on (an <see cref="ILiveSession"/>): from <c>core.bulk</c>, a job or
/// HTTP it is refused before it runs.
/// </summary>
[Namespace("core")]
internal sealed class CoreSubscriptionService(EventHub events) : Service
{
    [NoAuth(RateLimited = false)]
    [Description("Changes this connection's options (legacy_jobs, private_methods, py_exceptions); unknown keys " +
                 "are ignored. Returns all of them.")]
    public ConnectionOptions SetOptions(ILiveSession session, ConnectionOptionsChange options)
    {
        var changed = options.ApplyTo(session.Options);
        session.Options = changed;
        return changed;
    }

    // Roles(Authenticated), not NoAuth: an anonymous caller must get 207 ENOTAUTHENTICATED, which clients rely on.
    [Roles(Role.Authenticated)]
    [Description("Subscribes this connection to an event collection (or \"*\"); returns the subscription id.")]
    public string Subscribe(ILiveSession session, string @event)
    {
        switch (events.Check(session.Caller, @event))
        {
            case SubscriptionCheck.UnknownCollection:
                throw new CallError($"Event '{@event}' does not exist", Errno.ENOENT);
            case SubscriptionCheck.NotAuthorized:
                throw new CallError("Not authorized", Errno.EACCES);
            default:
                var id = Guid.NewGuid().ToString();
                events.Subscribe(session, id, @event);
                return id;
        }
    }

    [Roles(Role.Authenticated)]
    [Description("Ends a subscription of this connection.")]
    public void Unsubscribe(ILiveSession session, string id) => events.Unsubscribe(session, id);
}
