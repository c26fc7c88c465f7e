using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Protocol;
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

    /// <summary>
    /// The event's members as both dialects carry them (<c>msg</c>, <c>collection</c>, <c>id</c>, <c>fields</c>):
    /// the whole DDP message, the <c>params</c> of JSON-RPC's <c>collection_update</c>.
    /// </summary>
    public void WriteMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("msg", KindName);
        writer.WriteString("collection", Collection);
        if (Id is not null)
        {
            WireWriter.WriteNode(writer, "id", Id);
        }

        // A removal names only the id, as middlewared sends it.
        if (Fields is not null && Kind != EventKind.Removed)
        {
            WireWriter.WriteNode(writer, "fields", Fields);
        }
    }

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
