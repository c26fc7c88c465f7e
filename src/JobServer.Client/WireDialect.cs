using System.Text.Json;

namespace JobServer.Client;

/// <summary>How calls are written and frames read in one of middlewared's two dialects.</summary>
internal abstract class WireDialect
{
    public static WireDialect For(JobServerDialect dialect) =>
        dialect == JobServerDialect.Ddp ? new DdpWire() : new JsonRpcWire();

    /// <summary>A handshake frame to send first, or null (JSON-RPC has none).</summary>
    public abstract byte[]? Handshake { get; }

    public abstract byte[] Call(long id, string method, IReadOnlyList<object?> args, JsonSerializerOptions options);

    public abstract byte[] Pong(string? id);

    public abstract InboundMessage Read(JsonElement message);

    protected static void WriteParams(Utf8JsonWriter writer, IReadOnlyList<object?> args, JsonSerializerOptions options)
    {
        writer.WritePropertyName("params");
        WriteArray(writer, args, options);
    }

    /// <summary>
    /// Writes positional arguments. Anything but JSON and the common scalars goes through the options' own
    /// contracts (<see cref="JsonSerializerOptions.GetTypeInfo"/>), so a trimmed or AOT program that gives a
    /// source-generated resolver works, and one that passes only JSON and scalars needs none.
    /// </summary>
    public static void WriteArray(Utf8JsonWriter writer, IReadOnlyList<object?> args, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case JsonElement element:
                    element.WriteTo(writer);
                    break;
                case System.Text.Json.Nodes.JsonNode node:
                    node.WriteTo(writer);
                    break;
                case IReadOnlyList<object?> list:
                    WriteArray(writer, list, options);
                    break;
                // The common scalars by hand: the serializer's first use costs a command line like jobctl more
                // than the whole call (its metadata is built by reflection).
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                case double number:
                    writer.WriteNumberValue(number);
                    break;
                default:
                    JsonSerializer.Serialize(writer, arg, options.GetTypeInfo(arg.GetType()));
                    break;
            }
        }

        writer.WriteEndArray();
    }

    protected static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>middlewared's error object (<c>error</c>, <c>errname</c>, <c>type</c>, <c>reason</c>, <c>extra</c>).</summary>
    protected static Func<string, JobServerCallException> ErrorObject(JsonElement error, int? jsonRpcCode = null,
        string? fallbackReason = null)
    {
        var errno = error.TryGetProperty("error", out var e) && e.TryGetInt32(out var n) ? n : 0;
        var errName = Text(error, "errname");
        var reason = Text(error, "reason") ?? fallbackReason ?? "call failed";
        var type = Text(error, "type") ?? (jsonRpcCode == -32602 ? "VALIDATION" : null);
        JsonElement? extra = error.TryGetProperty("extra", out var x) && x.ValueKind != JsonValueKind.Null ? x.Clone() : null;
        return method => new JobServerCallException(method, errno, errName, reason, type, extra, jsonRpcCode);
    }

    protected static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    protected static CollectionEvent Event(JsonElement body) => new(
        Text(body, "msg") ?? "", Text(body, "collection") ?? "",
        body.TryGetProperty("id", out var id) ? id.Clone() : default,
        body.TryGetProperty("fields", out var fields) ? fields.Clone() : null);
}
