namespace JobServer.Events;

/// <summary>Whether a session may subscribe to a name (<see cref="EventHub.Check"/>).</summary>
internal enum SubscriptionCheck
{
    Allowed,
    UnknownCollection,
    NotAuthorized,
}
