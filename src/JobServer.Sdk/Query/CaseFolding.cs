using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// The <c>C</c> prefix's casefold: strings, and the strings of a list, are lowered with the invariant culture
/// (close to Python's <c>str.casefold</c>, without its expansions such as ß → ss). Other values pass unchanged.
/// </summary>
internal static class CaseFolding
{
    /// <summary>What upstream's <c>casefold</c> accepts: null, a string, or a list of strings.</summary>
    public static bool CanFold(JsonNode? value) => JsonValues.KindOf(value) switch
    {
        JsonValueKind.Null or JsonValueKind.String => true,
        JsonValueKind.Array => value!.AsArray().All(item => JsonValues.KindOf(item) == JsonValueKind.String),
        _ => false,
    };

    public static JsonNode? Fold(JsonNode? value)
    {
        if (JsonValues.TryGetString(value, out var text))
        {
            return JsonValue.Create(Lower(text));
        }

        if (value is JsonArray array)
        {
            return new JsonArray(array.Select(item => JsonValues.TryGetString(item, out var s)
                ? JsonValue.Create(Lower(s))
                : item?.DeepClone()).ToArray());
        }

        return value;
    }

    public static string Lower(string text) => text.ToLowerInvariant();
}
