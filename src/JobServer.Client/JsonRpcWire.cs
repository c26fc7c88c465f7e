using System.Text.Json;

namespace JobServer.Client;

/// <summary>JSON-RPC 2.0 at <c>/api/current</c>: no handshake, events as <c>collection_update</c> notifications.</summary>
internal sealed class JsonRpcWire : WireDialect
{
    public override byte[]? Handshake => null;

    public override byte[] Call(long id, string method, IReadOnlyList<object?> args, JsonSerializerOptions options) =>
        Write(w =>
        {
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            WriteParams(w, args, options);
        });

    public override byte[] Pong(string? id) => [];

    public override InboundMessage Read(JsonElement message)
    {
        if (message.TryGetProperty("method", out var method))
        {
            var body = message.TryGetProperty("params", out var p) ? p : default;
            return method.GetString() switch
            {
                "collection_update" => new InboundMessage.Event(Event(body)),
                "notify_unsubscribed" => new InboundMessage.Unsubscribed(Text(body, "collection") ?? "",
                    body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                        ? ErrorObject(error) : null),
                _ => new InboundMessage.Ignored(),
            };
        }

        if (!message.TryGetProperty("id", out var idElement) || !idElement.TryGetInt64(out var id))
        {
            return new InboundMessage.Ignored();
        }

        if (message.TryGetProperty("error", out var failure))
        {
            var code = failure.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
            var text = Text(failure, "message");
            if (failure.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                return new InboundMessage.Failure(id, ErrorObject(data, code, text));
            }

            // -32601 (no such method) and -32000 (too many calls) carry no middlewared error object.
            var errno = code switch { -32601 => 201, -32000 => 109, _ => 22 };
            return new InboundMessage.Failure(id, m => new JobServerCallException(m, errno, null,
                code == -32601 ? $"[ENOMETHOD] {text}: {m}" : text ?? "call failed", null, null, code));
        }

        return new InboundMessage.Result(id, message.TryGetProperty("result", out var result) ? result.Clone() : default);
    }
}
