using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobServer.Cli;

/// <summary>
/// Prints a result as midclt does — a string or number as it is, anything else as one line of JSON — or, with
/// <c>--json</c>, always as JSON.
/// </summary>
internal static class ResultPrinter
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The same escaping for <see cref="System.Text.Json.Nodes.JsonNode"/>s jobctl builds itself.</summary>
    public static JsonSerializerOptions NodeOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Print(JsonElement result, bool json)
    {
        if (!json && result.ValueKind == JsonValueKind.String)
        {
            Console.Out.WriteLine(result.GetString());
            return;
        }

        Console.Out.WriteLine(ToJson(result));
    }

    public static string ToJson(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return "null";
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
