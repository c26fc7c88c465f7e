using JobServer.Sdk;

namespace JobServer.Events;

/// <summary>
/// A collection subscribers may subscribe to: who may subscribe, and which subscribers receive a given event
/// (for example only a job's owner and admins receive its events).
/// </summary>
internal sealed record EventDescriptor(
    string Name,
    string Description,
    Func<ICallContext, bool> CanSubscribe,
    Func<ICallContext, CollectionEvent, bool>? ShouldSend = null);
