namespace JobServer.Client;

/// <summary>Which of middlewared's two WebSocket dialects a client speaks.</summary>
public enum JobServerDialect
{
    /// <summary>JSON-RPC 2.0 at <c>/api/current</c>: middlewared's current API (25.04+). The default.</summary>
    JsonRpc,

    /// <summary>The legacy DDP dialect at <c>/websocket</c> (middlewared before 25.04, Meteor clients).</summary>
    Ddp,
}
