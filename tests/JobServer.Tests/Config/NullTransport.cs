using System.Net.WebSockets;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Protocol;

namespace JobServer.Tests.Config;

/// <summary>A connection that swallows everything (sessions in unit tests).</summary>
internal sealed class NullTransport : ISessionTransport
{
    public static readonly NullTransport Instance = new();

    public bool TrySendEvent(CollectionEvent collectionEvent) => true;

    public void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error)
    {
    }

    public Task CloseAsync(WebSocketCloseStatus status, string description) => Task.CompletedTask;
}
