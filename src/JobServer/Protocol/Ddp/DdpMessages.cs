using System.Text.Json;
using JobServer.Calls;
using JobServer.Events;

namespace JobServer.Protocol.Ddp;

/// <summary>Encodes the server's DDP messages (reference §1 and Meteor's DDP spec).</summary>
internal static class DdpMessages
{
    public static byte[] Connected(string session) => WireWriter.Build(session, static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("msg", "connected");
        w.WriteString("session", s);
        w.WriteEndObject();
    });

    public static readonly byte[] Failed = """{"msg":"failed","version":"1"}"""u8.ToArray();

    public static byte[] Pong(string? id) => WireWriter.Build(id, static (w, id) =>
    {
        w.WriteStartObject();
        w.WriteString("msg", "pong");
        if (id is not null)
        {
            w.WriteString("id", id);
        }

        w.WriteEndObject();
    });

    public static byte[] Result(string id, byte[] result) => WireWriter.Build((id, result), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("msg", "result");
        w.WriteString("id", s.id);
        w.WritePropertyName("result");
        w.WriteRawValue(s.result, skipInputValidation: true);
        w.WriteEndObject();
    });

    public static byte[] Error(string id, ErrorInfo error) => WireWriter.Build((id, error), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("msg", "result");
        w.WriteString("id", s.id);
        WriteError(w, "error", s.error);
        w.WriteEndObject();
    });

    public static byte[] Updated(string id) => WireWriter.Build(id, static (w, id) =>
    {
        w.WriteStartObject();
        w.WriteString("msg", "updated");
        w.WriteStartArray("methods");
        w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Ready(string subscriptionId) => WireWriter.Build(subscriptionId, static (w, id) =>
    {
        w.WriteStartObject();
        w.WriteString("msg", "ready");
        w.WriteStartArray("subs");
        w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] NoSub(string subscriptionId, string? collection, ErrorInfo? error) =>
        WireWriter.Build((subscriptionId, collection, error), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("msg", "nosub");
            w.WriteString("id", s.subscriptionId);
            if (s.collection is not null)
            {
                w.WriteString("collection", s.collection);
            }

            if (s.error is not null)
            {
                WriteError(w, "error", s.error);
            }

            w.WriteEndObject();
        });

    /// <summary>Meteor's top-level error for a message the server cannot handle.</summary>
    public static byte[] ProtocolError(string reason, JsonElement? offending) =>
        WireWriter.Build((reason, offending), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("msg", "error");
            w.WriteString("reason", s.reason);
            if (s.offending is { } message)
            {
                w.WritePropertyName("offendingMessage");
                message.WriteTo(w);
            }

            w.WriteEndObject();
        });

    public static byte[] Event(CollectionEvent e) => WireWriter.Build(e, static (w, e) =>
    {
        w.WriteStartObject();
        e.WriteMembers(w);
        w.WriteEndObject();
    });

    /// <summary>
    /// middlewared's error object plus Meteor's <c>message</c>/<c>errorType</c>/<c>isClientSafe</c>, so both
    /// kinds of client can read it.
    /// </summary>
    private static void WriteError(Utf8JsonWriter w, string name, ErrorInfo error)
    {
        w.WriteStartObject(name);
        w.WriteNumber("error", error.Errno);
        w.WriteString("errname", error.ErrName);
        w.WriteString("type", error.Type);
        w.WriteString("reason", error.Reason);
        WireWriter.WriteNode(w, "trace", error.Trace);
        WireWriter.WriteNode(w, "extra", error.Extra);
        w.WriteString("message", $"{error.Reason} [{error.Errno}]");
        w.WriteString("errorType", "Meteor.Error");
        w.WriteBoolean("isClientSafe", true);
        w.WriteEndObject();
    }
}
