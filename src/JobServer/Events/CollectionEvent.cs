using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Events;

/// <summary>
/// One event on a collection. Each dialect encodes it once and every subscriber of that dialect shares the
/// bytes, so fanning an event out to a thousand connections serializes it at most twice.
/// </summary>
internal sealed class CollectionEvent(string collection, EventKind kind, JsonNode? id, JsonNode? fields)
{
    private byte[]? _ddp;
    private byte[]? _jsonRpc;

    public string Collection { get; } = collection;

    public EventKind Kind { get; } = kind;

    public JsonNode? Id { get; } = id;

    public JsonNode? Fields { get; } = fields;

    public string KindName => Kind switch
    {
        EventKind.Added => "added",
        EventKind.Changed => "changed",
        _ => "removed",
    };

    /// <summary>The encoded message for a dialect, built by <paramref name="encode"/> on first use.</summary>
    public byte[] EncodedFor(EventDialect dialect, Func<CollectionEvent, byte[]> encode) => dialect switch
    {
        EventDialect.Ddp => _ddp ??= encode(this),
        _ => _jsonRpc ??= encode(this),
    };
}

/// <summary>The wire dialects an event is encoded for.</summary>
internal enum EventDialect
{
    Ddp,
    JsonRpc,
}
