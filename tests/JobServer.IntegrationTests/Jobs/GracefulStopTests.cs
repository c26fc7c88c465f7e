using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Jobs;

/// <summary>
/// SIGTERM to a daemon process (issue 13, "a daemon that stops cleanly"): new work is refused with ESHUTDOWN,
/// running jobs get the grace, the rest is aborted and stored ABORTED, waiting jobs run after the next start,
/// and the sockets are closed with 1001 last.
/// </summary>
public sealed class GracefulStopTests
{
    private const int GraceSeconds = 6;
    private const int AbortGraceSeconds = 2;

    /// <summary>The daemon's own margin beyond both graces, and slack for a loaded test machine.</summary>
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(GraceSeconds + AbortGraceSeconds + 5 + 10);

    [Fact]
    public async Task Sigterm_RefusesNewWork_LetsRunningJobsFinish_AbortsTheRest_KeepsWaitingJobs()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-stop").FullName;
        string[] args =
        [
            "--plugin-dir", RepositoryPaths.TestPluginOutput,
            $"--JobServer:Jobs:ShutdownGraceSeconds={GraceSeconds}",
            $"--JobServer:Jobs:AbortGraceSeconds={AbortGraceSeconds}",
        ];
        long running, waiting, sleeper;
        await using (var first = await DaemonProcess.StartAsync(dataDir, args))
        {
            await using var client = await first.ConnectAsRootAsync();
            await using var jsonRpc = await JsonRpcClient.ConnectAsync(new Uri(first.BaseUri, "/api/current"));
            await using var watcher = await JobEvents.SubscribeAsync(await first.ConnectAsRootAsync());
            running = (await client.CallResultAsync("testjobs.gate", "k")).GetInt64();
            await watcher.StateAsync(running, "RUNNING");
            waiting = (await client.CallResultAsync("testjobs.gate", "k")).GetInt64();
            // Ends by itself two seconds in: well within the grace, long after the SIGTERM.
            sleeper = (await client.CallResultAsync("testjobs.sleep", 2)).GetInt64();
            await watcher.StateAsync(sleeper, "RUNNING");

            await first.TerminateAsync();
            (await first.Log.WaitForAsync(l => l.Contains("Daemon stopping", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10))).Should().BeTrue("the daemon logs the start of its stop");

            // During the grace: an open socket still answers, with the error in the protocol's shape.
            var refused = await client.CallErrorAsync("core.ping");
            refused.GetProperty("error").GetInt32().Should().Be(108);
            refused.GetProperty("errname").GetString().Should().Be("ESHUTDOWN");
            refused.GetProperty("reason").GetString().Should().Be("[ESHUTDOWN] The daemon is shutting down");
            var jsonRpcRefused = await jsonRpc.CallErrorAsync("core.ping");
            jsonRpcRefused.GetProperty("code").GetInt32().Should().Be(-32001);
            jsonRpcRefused.GetProperty("data").GetProperty("error").GetInt32().Should().Be(108);
            jsonRpcRefused.GetProperty("data").GetProperty("reason").GetString().Should()
                .Be("[ESHUTDOWN] The daemon is shutting down");
            await ShouldRefuseTransfersAsync(first.BaseUri);

            (await watcher.StateAsync(sleeper, "SUCCESS", TimeSpan.FromSeconds(GraceSeconds))).GetProperty("result")
                .GetDouble().Should().Be(2);
            var aborted = await watcher.StateAsync(running, "ABORTED", TimeSpan.FromSeconds(GraceSeconds + 10));
            aborted.GetProperty("error").GetString().Should().Be("Daemon shutting down");

            // Closed last, with a close frame: the ABORTED event above came through the same socket first.
            await watcher.Client.WaitClosedAsync(TimeSpan.FromSeconds(10));
            watcher.Client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
            watcher.Client.HasPending(m => m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number &&
                    id.GetInt64() == waiting && m.GetProperty("fields").GetProperty("state").GetString() != "WAITING")
                .Should().BeFalse("nothing may start once the stop began");
            (await first.WaitForExitAsync(ExitWithin)).Should().Be(0);
            first.Log.ErrorEntries.Should().Be(0, "a clean stop logs no error: {0}", string.Join('\n', first.Log.Lines));
        }

        await using var second = await DaemonProcess.StartAsync(dataDir, args);
        await using var again = await second.ConnectAsRootAsync();
        await using var events = await JobEvents.SubscribeAsync(await second.ConnectAsRootAsync());
        var stored = await JobAsync(again, running);
        stored.GetProperty("state").GetString().Should().Be("ABORTED");
        stored.GetProperty("error").GetString().Should().Be("Daemon shutting down");
        (await JobAsync(again, sleeper)).GetProperty("state").GetString().Should().Be("SUCCESS");

        // The waiting job stayed WAITING through the stop and runs now, behind no one.
        await again.CallResultAsync("testjobs.release", "k");
        await events.StateAsync(waiting, "SUCCESS");
        Directory.Delete(dataDir, recursive: true);
    }

    /// <summary>New uploads, downloads and WebSocket handshakes get 503 with the ESHUTDOWN error.</summary>
    private static async Task ShouldRefuseTransfersAsync(Uri baseUri)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        foreach (var request in new[]
                 {
                     new HttpRequestMessage(HttpMethod.Post, "/_upload") { Content = new StringContent("") },
                     new HttpRequestMessage(HttpMethod.Get, "/_download/1?auth_token=x"),
                 })
        {
            using var response = await http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            body.RootElement.GetProperty("error").GetString().Should().Be("ESHUTDOWN");
            body.RootElement.GetProperty("message").GetString().Should().Be("[ESHUTDOWN] The daemon is shutting down");
            request.Dispose();
        }

        using var socket = new ClientWebSocket();
        var connect = () => socket.ConnectAsync(
            new UriBuilder(baseUri) { Scheme = "ws", Path = "/websocket" }.Uri, CancellationToken.None);
        (await connect.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("503");
    }

    private static async Task<JsonElement> JobAsync(DdpClient client, long id) =>
        (await client.CallResultAsync("core.get_jobs", (object)new object[] { new object[] { "id", "=", id } }))[0];
}
