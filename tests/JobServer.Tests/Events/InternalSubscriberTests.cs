using System.Collections.Concurrent;
using System.Text;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Jobs;
using JobServer.Sdk;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobServer.Tests.Events;

/// <summary>
/// An internal subscriber (a callback sender, metrics, a relay) subscribes to the hub without a socket and gets the
/// same filtering as a WebSocket session: what its identity may subscribe to, and only the events meant for it.
/// </summary>
public sealed class InternalSubscriberTests
{
    private const string Jobs = "core.get_jobs";

    [Fact]
    public void Publish_JobsLikeCollection_ReachesAnInternalSubscriberThroughItsFilters()
    {
        var hub = JobsLikeHub();
        var alice = new RecordingSubscriber(User("alice"));
        hub.Check(alice.Identity, Jobs).Should().Be(SubscriptionCheck.Allowed);
        hub.Subscribe(alice, "sub-1", Jobs);

        hub.Publish(Job(EventKind.Added, 1, "alice"));
        hub.Publish(Job(EventKind.Added, 2, "bob"));
        hub.Publish(Job(EventKind.Changed, 1, "alice"));

        alice.Received.Select(e => (e.Kind, e.Owner)).Should()
            .Equal((EventKind.Added, "alice"), (EventKind.Changed, "alice"));
    }

    [Fact]
    public void Publish_WildcardSubscriber_GetsOnlyWhatItCouldSubscribeToByName()
    {
        var hub = JobsLikeHub();
        var anonymous = new RecordingSubscriber(Caller.Anonymous("internal", null));
        hub.Check(anonymous.Identity, Jobs).Should().Be(SubscriptionCheck.NotAuthorized);
        var relay = new RecordingSubscriber(User("relay", Role.FullAdmin));
        hub.Subscribe(relay, "all", EventHub.Wildcard);

        hub.Publish(Job(EventKind.Added, 3, "bob"));

        relay.Received.Should().ContainSingle().Which.Owner.Should().Be("bob");
    }

    [Fact]
    public void RemoveSubscriber_EndsItsSubscriptions()
    {
        var hub = JobsLikeHub();
        var alice = new RecordingSubscriber(User("alice"));
        hub.Subscribe(alice, "sub-1", Jobs);

        hub.RemoveSubscriber(alice);
        hub.Publish(Job(EventKind.Added, 1, "alice"));

        alice.Received.Should().BeEmpty();
        alice.Subscriptions.Should().BeEmpty();
    }

    /// <summary>A hub with <c>core.get_jobs</c>'s rules: signed-in subscribers; an item goes to its owner and admins.</summary>
    private static EventHub JobsLikeHub()
    {
        var hub = new EventHub(NullLogger<EventHub>.Instance);
        hub.Register(new EventDescriptor(Jobs, "Jobs", caller => caller.IsAuthenticated,
            (caller, e) => JobCaller.MaySee(caller, JobDocument.OwnerOf(e))));
        return hub;
    }

    /// <summary>An event as the job engine publishes it: encoded fields, the owner alongside.</summary>
    private static CollectionEvent Job(EventKind kind, long id, string owner) =>
        new(Jobs, kind, id, Encoding.UTF8.GetBytes($"{{\"id\":{id}}}"), owner);

    private static Caller User(string name, params string[] roles) => new("internal", name, roles, null, null);

    private sealed class RecordingSubscriber(ICallContext identity) : IEventSubscriber
    {
        public List<CollectionEvent> Received { get; } = [];

        public string SubscriberId => "recorder";

        public ICallContext Identity { get; } = identity;

        public ConcurrentDictionary<string, string> Subscriptions { get; } = new(StringComparer.Ordinal);

        public bool TrySendEvent(CollectionEvent collectionEvent)
        {
            Received.Add(collectionEvent);
            return true;
        }
    }
}
