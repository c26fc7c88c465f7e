using System.Text.Json;
using System.Text.Json.Serialization;

namespace JobServer.Sdk;

/// <summary>
/// The JSON conventions of the wire: snake_case names, enums as strings, dates as <c>{"$date": ms}</c>. Results, parameters and stored
/// configuration all use these options so a service author never names a field twice.
/// </summary>
public static class WireJson
{
    /// <summary>The shared serializer options (read-only once first used).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
        options.Converters.Add(new EJsonDateConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
