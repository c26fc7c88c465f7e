using System.Text.Json;

namespace JobServer.Bench.Infrastructure;

/// <summary>A call answered with an error; <see cref="ErrorJson"/> is the error object as sent.</summary>
internal sealed class DdpCallException(string method, string errorJson)
    : Exception($"{method} failed: {ReasonOf(errorJson)}")
{
    public string ErrorJson { get; } = errorJson;

    /// <summary>The method or service does not exist (errno 201, ENOMETHOD): the feature is not built.</summary>
    public bool IsMissingMethod => ErrorJson.Contains("ENOMETHOD", StringComparison.Ordinal);

    /// <summary>The error's <c>reason</c> (one line; the trace stays in <see cref="ErrorJson"/>).</summary>
    private static string ReasonOf(string errorJson)
    {
        try
        {
            using var document = JsonDocument.Parse(errorJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
            {
                var text = reason.GetString() ?? "";
                return text.Length > 300 ? text[..300] + "…" : text;
            }
        }
        catch (JsonException)
        {
        }

        return errorJson.Length > 300 ? errorJson[..300] + "…" : errorJson;
    }
}
