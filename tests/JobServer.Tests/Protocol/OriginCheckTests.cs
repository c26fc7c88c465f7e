using JobServer.Configuration;
using JobServer.Protocol.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobServer.Tests.Protocol;

/// <summary>The same-origin and allow-list rules of the WebSocket <c>Origin</c> check (RFC 6454 comparison).</summary>
public sealed class OriginCheckTests
{
    [Theory]
    [InlineData("http", "127.0.0.1:8090", null)] // no Origin: not a browser
    [InlineData("http", "127.0.0.1:8090", "http://127.0.0.1:8090")]
    [InlineData("https", "nas:443", "https://NAS")] // case and the default port
    [InlineData("https", "nas", "https://nas:443/")]
    [InlineData("http", "[::1]:8090", "http://[::1]:8090")]
    [InlineData("https", "nas:8443", "http://nas:8443")] // websocket-client < 1.3 over wss
    [InlineData("http", "127.0.0.1:8090", "https://nas.example.com:8443")] // configured
    [InlineData("http", "127.0.0.1:8090", "https://ui.example.com:443")] // configured without its port
    public async Task Handshake_IsAllowed(string scheme, string host, string? origin) =>
        (await RefusesAsync(scheme, host, origin)).Should().BeFalse();

    [Theory]
    [InlineData("http", "127.0.0.1:8090", "http://127.0.0.1:8091")]
    [InlineData("http", "127.0.0.1:8090", "http://localhost:8090")]
    [InlineData("http", "nas:80", "https://nas")] // https page, plain-HTTP daemon: another origin
    [InlineData("http", "127.0.0.1:8090", "https://nas.example.com")]
    [InlineData("http", "127.0.0.1:8090", "null")]
    [InlineData("http", "127.0.0.1:8090", "")]
    [InlineData("http", "127.0.0.1:8090", "http://127.0.0.1:8090/page")]
    [InlineData("http", "127.0.0.1:8090", "ws://127.0.0.1:8090")]
    public async Task Handshake_IsRefused(string scheme, string host, string origin) =>
        (await RefusesAsync(scheme, host, origin)).Should().BeTrue();

    [Fact]
    public async Task Handshake_WithTwoOriginHeaders_IsRefused()
    {
        var context = Handshake("http", "127.0.0.1:8090");
        context.Request.Headers.Origin = new(["http://127.0.0.1:8090", "http://127.0.0.1:8090"]);
        (await Check().RefuseIfForeignAsync(context)).Should().BeTrue();
        context.Response.StatusCode.Should().Be(StatusCodes.Status403Forbidden);
    }

    [Theory]
    [InlineData("https://nas.example.com:8443", true)]
    [InlineData("http://nas", true)]
    [InlineData("nas.example.com", false)]
    [InlineData("https://nas.example.com/ui", false)]
    [InlineData("ftp://nas.example.com", false)]
    [InlineData("*", false)]
    public void AreValid_AcceptsOnlyOrigins(string entry, bool valid) =>
        OriginCheck.AreValid([entry]).Should().Be(valid);

    private static async Task<bool> RefusesAsync(string scheme, string host, string? origin)
    {
        var context = Handshake(scheme, host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return await Check().RefuseIfForeignAsync(context);
    }

    private static DefaultHttpContext Handshake(string scheme, string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        context.Request.Path = "/websocket";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static OriginCheck Check()
    {
        var options = new JobServerOptions();
        options.AllowedOrigins.Add("https://nas.example.com:8443");
        options.AllowedOrigins.Add("https://ui.example.com");
        return new OriginCheck(Options.Create(options), NullLogger<OriginCheck>.Instance);
    }
}
