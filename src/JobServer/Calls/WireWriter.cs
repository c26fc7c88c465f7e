using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Calls;

/// <summary>Shared helpers to build one outbound JSON message into a byte array.</summary>
internal static class WireWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Buffers bigger than this are not kept for reuse (a rare huge message must not pin its memory).</summary>
    private const int MaxKeptBytes = 64 * 1024;

    // One writer and buffer per thread, reused: every outbound message (each result, each event) used to
    // allocate both. Taken out while in use, so a nested Build gets fresh ones.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Build<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ?? new Utf8JsonWriter(buffer, WriterOptions);
        t_buffer = null;
        t_writer = null;
        try
        {
            writer.Reset(buffer);
            write(writer, state);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity <= MaxKeptBytes)
            {
                t_buffer = buffer;
                t_writer = writer;
            }
        }
    }

    /// <summary>
    /// Serializes a call result on its own first, so a value that cannot be serialized becomes an error answer
    /// instead of a half-written message.
    /// </summary>
    public static byte[] SerializeResult(object? value, Type type) =>
        value is null || type == typeof(void)
            ? "null"u8.ToArray()
            : JsonSerializer.SerializeToUtf8Bytes(value, type, WireJson.Options);

    /// <summary>
    /// Serializes a successful outcome's value; false, with the serializer's complaint, when it cannot be
    /// (each dialect then answers its own "Failed to JSON serialize server message" error).
    /// </summary>
    public static bool TrySerializeResult(CallOutcome outcome, out byte[] json, out string? failure)
    {
        try
        {
            json = SerializeResult(outcome.Value, outcome.ValueType);
            failure = null;
            return true;
        }
        // ArgumentException: the writer refuses values JSON cannot hold, such as NaN.
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException
                                      or ArgumentException)
        {
            json = [];
            failure = e.Message;
            return false;
        }
    }

    public static void WriteNode(Utf8JsonWriter writer, string name, JsonNode? node)
    {
        writer.WritePropertyName(name);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
