using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Client.Tests.Support;

/// <summary>
/// Batch jobs (issue 16) from a test: BATCH_AGENT keys, <c>jobctl agent</c> processes, jobs posted as root, and
/// the job's final object read from <c>/batch/jobs/{id}/ws</c> (pushed when it finishes, so nothing polls).
/// </summary>
public static class BatchAgents
{
    public static async Task<string> CreateAgentKeyAsync(ClientDaemon daemon, string name)
    {
        await using var root = await daemon.ConnectAsRootAsync();
        var created = await root.CallAsync<JsonElement>("api_key.create",
            [new JsonObject { ["name"] = name, ["roles"] = new JsonArray("BATCH_AGENT") }]);
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>Starts <c>jobctl agent</c> for <paramref name="destination"/> and waits until it has registered.</summary>
    public static async Task<Jobctl> StartAgentAsync(ClientDaemon daemon, string key, string destination, FakeDevice device,
        string stateDir)
    {
        var agent = StartAgent(daemon, key, destination, device.Url, stateDir);
        await agent.WaitForOutputAsync($"registered {destination}");
        return agent;
    }

    public static Jobctl StartAgent(ClientDaemon daemon, string key, string destination, Uri forward, string stateDir) =>
        Jobctl.Start(["-u", $"ws://127.0.0.1:{daemon.Port}", "--api-key", key, "agent", "--destination", destination,
            "--forward", forward.ToString(), "--state-dir", stateDir]);

    /// <summary>POSTs <c>{timeout?, batch: [{post /system/reboot to destinations}]}</c> as root; the job's id.</summary>
    public static Task<long> RebootAsync(ClientDaemon daemon, long? timeout, params string[] destinations) =>
        PostAsync(daemon, timeout, ["/system/reboot"], destinations);

    /// <summary>POSTs one entry per resource (<c>post</c>, to every destination) as root; the job's id.</summary>
    public static async Task<long> PostAsync(ClientDaemon daemon, long? timeout, string[] resources, params string[] destinations)
    {
        using var http = Root(daemon);
        var body = new JsonObject
        {
            ["timeout"] = timeout,
            ["batch"] = new JsonArray([.. resources.Select(resource => (JsonNode)new JsonObject
            {
                ["method"] = "post", ["resource"] = resource, ["data"] = new JsonObject { ["delay"] = 0 },
                ["__destination"] = new JsonArray([.. destinations.Select(d => JsonValue.Create(d))]),
            })]),
        };
        using var response = await http.PostAsync("/batch/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        response.IsSuccessStatusCode.Should().BeTrue(job.ToString());
        return job.GetProperty("id").GetInt64();
    }

    /// <summary>The job's last object on its WebSocket: the final one (the socket closes after it).</summary>
    public static async Task<JsonElement> FinalAsync(ClientDaemon daemon, long jobId)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", RootCredentials().ToString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{daemon.Port}/batch/jobs/{jobId}/ws"), timeout.Token);
        JsonElement last = default;
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return last;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                last = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
            }
        }
    }

    /// <summary>The job with its task objects embedded.</summary>
    public static async Task<JsonElement> JobAsync(ClientDaemon daemon, long jobId)
    {
        using var http = Root(daemon);
        return await http.GetFromJsonAsync<JsonElement>(
            string.Create(CultureInfo.InvariantCulture, $"/batch/jobs/{jobId}?collection=true"));
    }

    public static HttpClient Root(ClientDaemon daemon)
    {
        var http = new HttpClient { BaseAddress = daemon.Url };
        http.DefaultRequestHeaders.Authorization = RootCredentials();
        return http;
    }

    private static AuthenticationHeaderValue RootCredentials() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{ProbeCredentials.RootPassword}")));
}
