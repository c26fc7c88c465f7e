using JobServer.Events;

namespace JobServer.Jobs;

/// <summary>Publishes job events to this daemon's subscribers only: the <see cref="EventHub"/> fan-out.</summary>
internal sealed class LocalJobEventBus(EventHub events) : IJobEventBus
{
    public void Publish(CollectionEvent change) => events.Publish(change);
}
