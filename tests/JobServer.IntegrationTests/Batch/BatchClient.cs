using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary>An HTTP client of the <c>/batch</c> routes, signed in with Basic credentials.</summary>
public sealed class BatchClient(Uri baseUri, string user, string password) : IDisposable
{
    private readonly HttpClient _http = Client(baseUri, user, password);

    public static BatchClient AsRoot(Daemon daemon) => new(daemon.BaseUri, "root", Daemon.RootPassword);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                string json => new StringContent(json, Encoding.UTF8, "application/json"),
                _ => JsonContent.Create(body),
            },
        };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>POSTs a job and answers it; the POST must succeed.</summary>
    public async Task<JsonElement> CreateAsync(object body)
    {
        var (status, job) = await SendAsync(HttpMethod.Post, "/batch/jobs", body);
        status.Should().Be(HttpStatusCode.OK, job.ToString());
        return job;
    }

    public async Task<JsonElement> GetOkAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return body;
    }

    /// <summary>
    /// The task once <paramref name="done"/> holds: an agent's ack and progress are answered when queued, before
    /// their commit, and a GET reads what is stored.
    /// </summary>
    public async Task<JsonElement> TaskWhenAsync(long id, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var task = await GetOkAsync($"/batch/tasks/{id}");
            if (done(task.GetProperty("__task")))
            {
                return task;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>A job to <paramref name="destinations"/>: one POST /system/reboot each, as the seed's example.</summary>
    public static object Reboot(long? timeout, params string[] destinations) => timeout is { } seconds
        ? new { timeout = seconds, batch = new[] { new { method = "post", resource = "/system/reboot", data = new { }, __destination = destinations } } }
        : new { batch = new[] { new { method = "post", resource = "/system/reboot", data = new { }, __destination = destinations } } };

    public void Dispose() => _http.Dispose();

    /// <summary>Opens <c>/batch/jobs/{id}/ws</c> with <c>?auth_token=</c>, as a browser would.</summary>
    public static async Task<ClientWebSocket> WatchAsync(Uri baseUri, long jobId, string token)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(baseUri) { Scheme = "ws", Path = $"/batch/jobs/{jobId}/ws", Query = $"auth_token={token}" }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    /// <summary>The next job object the socket pushes, or null when it closed.</summary>
    public static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            }
        }
    }

    private static HttpClient Client(Uri baseUri, string user, string password)
    {
        var http = Transfer.Client(baseUri);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }
}
