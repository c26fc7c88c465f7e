namespace JobServer.Configuration;

/// <summary>Limits of the WebSocket endpoints (<c>JobServer:WebSocket</c>).</summary>
internal sealed class WebSocketLimits
{
    public const string Section = "JobServer:WebSocket";

    /// <summary>Largest message of an anonymous session; middlewared's 8 KiB.</summary>
    public int AnonymousMessageBytes { get; set; } = 8 * 1024;

    /// <summary>Largest message of an authenticated session; middlewared's 64 KiB.</summary>
    public int AuthenticatedMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Calls in flight per connection before calls are refused (errno 109 / -32000).</summary>
    public int MaxConcurrentCalls { get; set; } = 20;

    /// <summary>Messages queued towards a client before it counts as too slow and is closed.</summary>
    public int OutboundQueueMessages { get; set; } = 8192;

    /// <summary>Interval of server-side WebSocket pings.</summary>
    public int KeepAliveIntervalSeconds { get; set; } = 30;

    /// <summary>How long a pinged peer may stay silent before it is dropped.</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 30;
}
