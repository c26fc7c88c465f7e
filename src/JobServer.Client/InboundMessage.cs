using System.Text.Json;

namespace JobServer.Client;

/// <summary>What a frame from the daemon means to the client, whichever dialect it came in.</summary>
internal abstract record InboundMessage
{
    /// <summary>The answer to call <paramref name="Id"/>.</summary>
    public sealed record Result(long Id, JsonElement Value) : InboundMessage;

    /// <summary>The refusal of call <paramref name="Id"/>.</summary>
    public sealed record Failure(long Id, Func<string, JobServerCallException> Error) : InboundMessage;

    /// <summary>An event of a subscribed collection.</summary>
    public sealed record Event(CollectionEvent Value) : InboundMessage;

    /// <summary>The daemon ended the subscriptions of a collection.</summary>
    public sealed record Unsubscribed(string Collection, Func<string, JobServerCallException>? Error) : InboundMessage;

    /// <summary>DDP's handshake answer (<paramref name="Accepted"/> false for <c>failed</c>).</summary>
    public sealed record Connected(bool Accepted) : InboundMessage;

    /// <summary>A DDP keep-alive ping to answer.</summary>
    public sealed record Ping(string? Id) : InboundMessage;

    /// <summary>Nothing for the client (DDP's <c>updated</c>, <c>ready</c>, …).</summary>
    public sealed record Ignored : InboundMessage;
}
