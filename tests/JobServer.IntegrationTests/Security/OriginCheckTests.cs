using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// Cross-site WebSocket hijacking (issue 13): a handshake with a foreign <c>Origin</c> is refused with 403 before
/// the upgrade; no <c>Origin</c> (CLI, Python, Node clients), the daemon's own origin and the configured
/// <c>JobServer:AllowedOrigins</c> pass. Every WebSocket route, both dialects.
/// </summary>
public sealed class OriginCheckTests(OriginCheckTests.OriginsDaemon fixture) : IClassFixture<OriginCheckTests.OriginsDaemon>
{
    public static readonly TheoryData<string> Endpoints = new() { "/websocket", "/api/current", "/api/v1" };

    private Daemon Daemon => fixture.Daemon;

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Handshake_WithoutOrigin_IsAccepted(string path) =>
        (await HandshakeAsync(path, origin: null)).Should().Be(HttpStatusCode.SwitchingProtocols);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Handshake_FromTheDaemonsOwnOrigin_IsAccepted(string path)
    {
        (await HandshakeAsync(path, $"http://{Daemon.BaseUri.Authority}")).Should().Be(HttpStatusCode.SwitchingProtocols);
        // RFC 6454: the scheme and host compare without regard to case.
        (await HandshakeAsync(path, $"HTTP://{Daemon.BaseUri.Authority.ToUpperInvariant()}"))
            .Should().Be(HttpStatusCode.SwitchingProtocols);
    }

    [Theory]
    [InlineData("/websocket", "https://nas.example.com:8443")]
    [InlineData("/api/current", "https://NAS.Example.com:8443")]
    [InlineData("/websocket", "https://ui.example.com:443")] // configured without its default port
    [InlineData("/api/current", "http://ui.example.com")]
    public async Task Handshake_FromAConfiguredOrigin_IsAccepted(string path, string origin) =>
        (await HandshakeAsync(path, origin)).Should().Be(HttpStatusCode.SwitchingProtocols);

    [Theory]
    [InlineData("/websocket", "https://evil.example")]
    [InlineData("/api/current", "https://evil.example")]
    [InlineData("/api/v1", "https://evil.example")]
    [InlineData("/websocket", "https://nas.example.com")] // another port than the configured one
    [InlineData("/api/current", "http://nas.example.com:8443")] // another scheme
    [InlineData("/websocket", "null")] // an opaque origin: a sandboxed frame, a file:// page
    public async Task Handshake_FromAForeignOrigin_Is403WithAReason_AndNoSocket(string path, string origin)
    {
        (await HandshakeAsync(path, origin)).Should().Be(HttpStatusCode.Forbidden);

        using var response = await RawHandshakeAsync(path, origin);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetString().Should().Be("Origin not allowed");
        body.RootElement.GetProperty("origin").GetString().Should().Be(origin);
    }

    [Fact]
    public async Task Handshake_FromTheSameHostOnAnotherPort_IsRefused() =>
        (await HandshakeAsync("/websocket", $"http://{Daemon.BaseUri.Host}:{Daemon.BaseUri.Port + 1}"))
            .Should().Be(HttpStatusCode.Forbidden);

    [Fact]
    public async Task Refusal_IsLoggedOnce_AsAWarningNamingTheOrigin()
    {
        var dataDir = Directory.CreateTempSubdirectory("jobserver-origin").FullName;
        await using (var daemon = await DaemonProcess.StartAsync(dataDir))
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Origin", "https://evil.example");
            var connect = () => socket.ConnectAsync(
                new UriBuilder(daemon.BaseUri) { Scheme = "ws", Path = "/websocket" }.Uri, CancellationToken.None);
            await connect.Should().ThrowAsync<WebSocketException>();

            (await daemon.Log.WaitForAsync(l => l.Contains("responded 403", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10))).Should().BeTrue("the request log line follows the refusal's");
            daemon.Log.Lines.Where(l => l.Contains("https://evil.example", StringComparison.Ordinal)).Should()
                .ContainSingle().Which.Should().Contain(" WRN] ").And.Contain("Refused a WebSocket handshake");
            daemon.Log.ErrorEntries.Should().Be(0);
        }

        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task Start_WithAnAllowedOriginThatIsNoOrigin_FailsNamingTheSetting() =>
        (await RefusedStart.LinesAsync("--JobServer:AllowedOrigins:0=nas.example.com")).Should()
            .Contain(l => l.Contains("JobServer:AllowedOrigins holds an entry", StringComparison.Ordinal));

    /// <summary>A real <see cref="ClientWebSocket"/> handshake; the status the server answered it with.</summary>
    private async Task<HttpStatusCode> HandshakeAsync(string path, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(new UriBuilder(Daemon.BaseUri) { Scheme = "ws", Path = path }.Uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            socket.State.Should().NotBe(WebSocketState.Open);
            return socket.HttpStatusCode;
        }

        socket.State.Should().Be(WebSocketState.Open);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        return socket.HttpStatusCode;
    }

    /// <summary>The upgrade request by hand, to read the refusal's body (a WebSocket client discards it).</summary>
    private async Task<HttpResponseMessage> RawHandshakeAsync(string path, string origin)
    {
        using var http = new HttpClient { BaseAddress = Daemon.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        request.Headers.TryAddWithoutValidation("Origin", origin).Should().BeTrue();
        return await http.SendAsync(request);
    }

    /// <summary>A daemon that allows two origins besides its own.</summary>
    public sealed class OriginsDaemon : IAsyncLifetime
    {
        public Daemon Daemon { get; private set; } = null!;

        public async Task InitializeAsync() => Daemon = await Daemon.StartAsync(
        [
            "--JobServer:AllowedOrigins:0=https://nas.example.com:8443",
            "--JobServer:AllowedOrigins:1=http://UI.example.com:80/",
            "--JobServer:AllowedOrigins:2=https://ui.example.com",
        ]);

        public async Task DisposeAsync() => await Daemon.DisposeAsync();
    }
}
