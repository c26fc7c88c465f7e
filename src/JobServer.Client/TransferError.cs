using System.Net;
using System.Text.Json;

namespace JobServer.Client;

/// <summary>Reads the daemon's HTTP transfer error body (<c>{"error", "errno", "message", "extra"}</c>).</summary>
internal static class TransferError
{
    public static async Task<JobServerCallException> ReadAsync(string method, HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            body = "";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var errno = root.TryGetProperty("errno", out var e) && e.TryGetInt32(out var n) ? n : Errno(response.StatusCode);
            var name = root.TryGetProperty("error", out var en) && en.ValueKind == JsonValueKind.String ? en.GetString() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()! : $"HTTP {status}";
            JsonElement? extra = root.TryGetProperty("extra", out var x) && x.ValueKind != JsonValueKind.Null ? x.Clone() : null;
            return new JobServerCallException(method, errno, name, message, null, extra);
        }
        catch (JsonException)
        {
            return new JobServerCallException(method, Errno(response.StatusCode), null, $"HTTP {status} {response.ReasonPhrase}",
                null, null);
        }
    }

    private static int Errno(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => 207,
        HttpStatusCode.Forbidden => 13,
        HttpStatusCode.NotFound => 2,
        HttpStatusCode.TooManyRequests => 16,
        _ => 22,
    };
}
