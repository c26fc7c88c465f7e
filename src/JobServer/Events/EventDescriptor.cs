using JobServer.Protocol;

namespace JobServer.Events;

/// <summary>
/// A collection sessions may subscribe to: who may subscribe, and which subscribers receive a given event
/// (for example only a job's owner and admins receive its events).
/// </summary>
internal sealed record EventDescriptor(
    string Name,
    string Description,
    Func<Session, bool> CanSubscribe,
    Func<Session, CollectionEvent, bool>? ShouldSend = null);
