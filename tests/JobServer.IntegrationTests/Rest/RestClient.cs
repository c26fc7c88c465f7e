using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace JobServer.IntegrationTests.Rest;

/// <summary>A real <see cref="HttpClient"/> on the daemon, signed in with one Authorization header (or none).</summary>
public sealed class RestClient(Uri baseUri, AuthenticationHeaderValue? authorization) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };

    public Task<HttpResponseMessage> SendAsync(HttpMethod verb, string path, object? body = null) =>
        SendAsync(verb, path, body is null ? null : JsonContent.Create(body));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod verb, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(verb, path) { Content = content };
        request.Headers.Authorization = authorization;
        return await _http.SendAsync(request);
    }

    /// <summary>The status and JSON body of a call.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpMethod verb, string path, object? body = null)
    {
        using var response = await SendAsync(verb, path, body);
        return (response.StatusCode, await BodyOf(response));
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => CallAsync(HttpMethod.Get, path);

    public static async Task<JsonElement> BodyOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
