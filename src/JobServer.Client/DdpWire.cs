using System.Globalization;
using System.Text;
using System.Text.Json;

namespace JobServer.Client;

/// <summary>The legacy DDP dialect at <c>/websocket</c>: a <c>connect</c> handshake, string ids, Meteor's events.</summary>
internal sealed class DdpWire : WireDialect
{
    public override byte[]? Handshake { get; } = Encoding.UTF8.GetBytes("""{"msg":"connect","version":"1","support":["1"]}""");

    public override byte[] Call(long id, string method, IReadOnlyList<object?> args, JsonSerializerOptions options) =>
        Write(w =>
        {
            w.WriteString("msg", "method");
            w.WriteString("id", id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("method", method);
            WriteParams(w, args, options);
        });

    public override byte[] Pong(string? id) => Write(w =>
    {
        w.WriteString("msg", "pong");
        if (id is not null)
        {
            w.WriteString("id", id);
        }
    });

    public override InboundMessage Read(JsonElement message)
    {
        switch (Text(message, "msg"))
        {
            case "result":
                if (!long.TryParse(Text(message, "id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    // A subscription's refusal comes as a result with the sub's id; its nosub follows.
                    return new InboundMessage.Ignored();
                }

                return message.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                    ? new InboundMessage.Failure(id, ErrorObject(error))
                    : new InboundMessage.Result(id, message.TryGetProperty("result", out var r) ? r.Clone() : default);
            case "added" or "changed" or "removed":
                return new InboundMessage.Event(Event(message));
            case "nosub":
                return new InboundMessage.Unsubscribed(Text(message, "collection") ?? "",
                    message.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? ErrorObject(e) : null);
            case "connected":
                return new InboundMessage.Connected(true);
            case "failed":
                return new InboundMessage.Connected(false);
            case "ping":
                return new InboundMessage.Ping(Text(message, "id"));
            default:
                return new InboundMessage.Ignored();
        }
    }
}
