using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Reads the few fields of a server message the harness needs with one forward pass of
/// <see cref="Utf8JsonReader"/>, skipping the rest: cheap enough that the client does not become the bottleneck
/// it is measuring.
/// </summary>
internal static class DdpMessageParser
{
    public sealed class Message
    {
        public string? Msg { get; set; }

        /// <summary>The call or subscription id (the harness sends numeric strings), or -1.</summary>
        public long CallId { get; set; } = -1;

        /// <summary>A collection message's numeric document id (a job id), or -1.</summary>
        public long EventId { get; set; } = -1;

        public string? Collection { get; set; }

        public string? Error { get; set; }

        public long? Number { get; set; }

        public string? Text { get; set; }

        public bool? Bool { get; set; }

        public string? Raw { get; set; }

        public string? State { get; set; }

        public long? TimeFinishedMs { get; set; }

        public List<long>? Subs { get; set; }
    }

    public static Message Parse(ReadOnlySpan<byte> json)
    {
        var message = new Message();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("msg"u8))
            {
                message.Msg = reader.GetString();
            }
            else if (name.SequenceEqual("id"u8))
            {
                ReadId(ref reader, message);
            }
            else if (name.SequenceEqual("collection"u8))
            {
                message.Collection = reader.GetString();
            }
            else if (name.SequenceEqual("result"u8))
            {
                ReadResult(ref reader, json, message);
            }
            else if (name.SequenceEqual("error"u8))
            {
                message.Error = Slice(ref reader, json);
            }
            else if (name.SequenceEqual("fields"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                ReadFields(ref reader, message);
            }
            else if (name.SequenceEqual("subs"u8) && reader.TokenType == JsonTokenType.StartArray)
            {
                message.Subs = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    message.Subs.Add(ParseLong(reader.ValueSpan));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return message;
    }

    private static void ReadId(ref Utf8JsonReader reader, Message message)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            message.EventId = reader.GetInt64();
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            // A call id we sent ("17"), or a string document id we do not need.
            message.CallId = ParseLong(reader.ValueSpan);
        }
        else
        {
            reader.Skip();
        }
    }

    private static void ReadResult(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Message message)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                message.Number = reader.TryGetInt64(out var number) ? number : null;
                break;
            case JsonTokenType.String:
                message.Text = reader.GetString();
                break;
            case JsonTokenType.True or JsonTokenType.False:
                message.Bool = reader.GetBoolean();
                break;
            case JsonTokenType.Null:
                break;
            default:
                message.Raw = Slice(ref reader, json);
                break;
        }
    }

    private static void ReadFields(ref Utf8JsonReader reader, Message message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("state"u8) && reader.TokenType == JsonTokenType.String)
            {
                message.State = reader.GetString();
            }
            else if (name.SequenceEqual("time_finished"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        message.TimeFinishedMs = reader.GetInt64();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static string Slice(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed]);
    }

    private static long ParseLong(ReadOnlySpan<byte> digits) =>
        Utf8Parser.TryParse(digits, out long value, out var consumed) && consumed == digits.Length ? value : -1;
}
