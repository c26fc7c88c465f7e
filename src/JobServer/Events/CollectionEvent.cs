using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk;

namespace JobServer.Events;

/// <summary>
/// One event on a collection. Each dialect encodes it once and every subscriber of that dialect shares the
/// bytes, so fanning an event out to a thousand connections serializes it at most twice.
/// </summary>
/// <remarks>
/// The fields are either a <see cref="JsonNode"/> (services' events) or JSON already encoded as UTF-8 (jobs: a
/// job document is written once, straight from its stored row, and never becomes a node tree).
/// </remarks>
internal sealed class CollectionEvent
{
    private readonly long _numericId;
    private readonly byte[]? _encodedFields;
    private byte[]? _ddp;
    private byte[]? _jsonRpc;

    public CollectionEvent(string collection, EventKind kind, JsonNode? id, JsonNode? fields)
    {
        Collection = collection;
        Kind = kind;
        Id = id;
        Fields = fields;
    }

    /// <summary>An event whose fields are already encoded JSON (an object), with a numeric id.</summary>
    /// <param name="owner">Whom the item belongs to, for per-subscriber filters (<see cref="EventDescriptor.ShouldSend"/>).</param>
    public CollectionEvent(string collection, EventKind kind, long id, byte[] encodedFields, string? owner)
    {
        Collection = collection;
        Kind = kind;
        _numericId = id;
        _encodedFields = encodedFields;
        Owner = owner;
    }

    public string Collection { get; }

    public EventKind Kind { get; }

    /// <summary>The id as a node; null for an event built from encoded fields (its id is numeric).</summary>
    public JsonNode? Id { get; }

    /// <summary>The numeric id of an event built from encoded fields (jobs), else 0.</summary>
    public long NumericId => _numericId;

    /// <summary>The fields as a node; null for an event built from encoded fields.</summary>
    public JsonNode? Fields { get; }

    /// <summary>The item's owner when the publisher said so (jobs: the submitting user), else null.</summary>
    public string? Owner { get; }

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
        if (_encodedFields is not null)
        {
            writer.WriteNumber("id", _numericId);
            if (Kind != EventKind.Removed)
            {
                writer.WritePropertyName("fields");
                writer.WriteRawValue(_encodedFields, skipInputValidation: true);
            }

            return;
        }

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
