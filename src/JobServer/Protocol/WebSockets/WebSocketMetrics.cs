using System.Diagnostics.Metrics;
using JobServer.Calls;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// WebSocket instruments on the daemon's meter: open connections and messages received and sent, by dialect
/// (<c>DDP</c>, <c>JSON-RPC</c>). Sent counts messages queued to the connection's one writer (answers and events).
/// </summary>
internal sealed class WebSocketMetrics
{
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _messages;

    public WebSocketMetrics(IMeterFactory meters)
    {
        var meter = DaemonMeter.Create(meters);
        _connections = meter.CreateUpDownCounter<long>("jobserver.websocket.connections", "{connection}",
            "Open WebSocket connections, by dialect");
        _messages = meter.CreateCounter<long>("jobserver.websocket.messages", "{message}",
            "WebSocket messages received and sent, by dialect and direction");
    }

    public void Opened(string dialect) => _connections.Add(1, Dialect(dialect));

    public void Closed(string dialect) => _connections.Add(-1, Dialect(dialect));

    public void Received(string dialect) => _messages.Add(1, Dialect(dialect), Direction.Received);

    public void Sent(string dialect) => _messages.Add(1, Dialect(dialect), Direction.Sent);

    private static KeyValuePair<string, object?> Dialect(string dialect) => new("dialect", dialect);

    /// <summary>The direction tags, made once.</summary>
    private static class Direction
    {
        public static readonly KeyValuePair<string, object?> Received = new("direction", "received");
        public static readonly KeyValuePair<string, object?> Sent = new("direction", "sent");
    }
}
