using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobServer.Sdk;

/// <summary>
/// Writes instants as middlewared's EJSON dates, <c>{"$date": epoch_milliseconds}</c>, and reads them back (an
/// ISO-8601 string is accepted on input too).
/// </summary>
public sealed class EJsonDateConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetDateTimeOffset();
        }

        if (reader.TokenType != JsonTokenType.StartObject || !reader.Read() ||
            reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("$date") || !reader.Read() ||
            reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("Expected a date as {\"$date\": milliseconds} or an ISO-8601 string");
        }

        var milliseconds = reader.GetInt64();
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Expected a date as {\"$date\": milliseconds}");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("$date", value.ToUnixTimeMilliseconds());
        writer.WriteEndObject();
    }
}
