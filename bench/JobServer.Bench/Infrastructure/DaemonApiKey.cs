using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Root's HTTP credentials for the REST scenarios: one Basic sign-in (PBKDF2) makes an API key, and every measured
/// call signs in with that key (a script's path: one SHA-256 per request).
/// </summary>
internal static class DaemonApiKey
{
    public static AuthenticationHeaderValue RootBasic => new("Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{ServerProcess.RootPassword}")));

    public static async Task<string> CreateAsync(HttpClient http, Uri daemon, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(daemon, "/api/v2.0/api_key"))
        {
            Content = JsonContent.Create(new { name }),
        };
        request.Headers.Authorization = RootBasic;
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new FeatureMissingException($"POST /api/v2.0/api_key answered {(int)response.StatusCode}");
        }

        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("key").GetString()!;
    }
}
