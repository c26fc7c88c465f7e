using System.Text.Json;
using JobServer.Calls;
using JobServer.Events;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.JsonRpc;

/// <summary>Encodes the server's JSON-RPC 2.0 messages (reference §2.1-2.3).</summary>
internal static class JsonRpcMessages
{
    public static byte[] Result(byte[] id, byte[] result) => WireWriter.Build((id, result), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        WriteId(w, s.id);
        w.WritePropertyName("result");
        w.WriteRawValue(s.result, skipInputValidation: true);
        w.WriteEndObject();
    });

    /// <summary>An error answer; <paramref name="data"/> in middlewared's layout, or none.</summary>
    public static byte[] Error(byte[] id, int code, string message, ErrorInfo? data = null) =>
        WireWriter.Build((id, code, message, data), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            WriteId(w, s.id);
            w.WriteStartObject("error");
            w.WriteNumber("code", s.code);
            w.WriteString("message", s.message);
            if (s.data is not null)
            {
                WriteErrorData(w, "data", s.data);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>
    /// A call's error: validation failures are -32602 "Invalid params" with errno 22 whatever the DDP errno
    /// (11 for bad arguments, 2 for a missing instance); everything else -32001 "Method call error".
    /// </summary>
    public static byte[] CallError(byte[] id, ErrorInfo error) => error.IsValidation
        ? Error(id, JsonRpcErrorCode.InvalidParams, "Invalid params",
            error with { Errno = Errno.EINVAL, ErrName = Errno.NameOf(Errno.EINVAL) })
        : Error(id, JsonRpcErrorCode.CallError, "Method call error", error);

    /// <summary>The answer to a call: its result, its error, or -32603 when the result cannot be serialized.</summary>
    public static byte[] Answer(byte[] id, CallOutcome outcome)
    {
        if (outcome.Error is { } error)
        {
            return CallError(id, error);
        }

        return WireWriter.TrySerializeResult(outcome, out var result, out var failure)
            ? Result(id, result)
            : Error(id, JsonRpcErrorCode.InternalError, "Failed to JSON serialize server message",
                ErrorMapper.Call($"Failed to JSON serialize server message: {failure}", Errno.EFAULT));
    }

    public static byte[] Event(CollectionEvent e) => WireWriter.Build(e, static (w, e) =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        w.WriteString("method", "collection_update");
        w.WriteStartObject("params");
        e.WriteMembers(w);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The end of a subscription (DDP's <c>nosub</c>).</summary>
    public static byte[] Unsubscribed(string collection, ErrorInfo? error) =>
        WireWriter.Build((collection, error), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("method", "notify_unsubscribed");
            w.WriteStartObject("params");
            w.WriteString("collection", s.collection);
            if (s.error is null)
            {
                w.WriteNull("error");
            }
            else
            {
                WriteErrorData(w, "error", s.error);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static void WriteId(Utf8JsonWriter w, byte[] id)
    {
        w.WritePropertyName("id");
        w.WriteRawValue(id, skipInputValidation: true);
    }

    /// <summary>middlewared's error fields without DDP's <c>type</c> (reference §2.2).</summary>
    private static void WriteErrorData(Utf8JsonWriter w, string name, ErrorInfo error)
    {
        w.WriteStartObject(name);
        w.WriteNumber("error", error.Errno);
        w.WriteString("errname", error.ErrName);
        w.WriteString("reason", error.Reason);
        WireWriter.WriteNode(w, "trace", error.Trace);
        WireWriter.WriteNode(w, "extra", error.Extra);
        w.WriteEndObject();
    }
}
