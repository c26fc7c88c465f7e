using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using JobServer.Bench.Infrastructure;

namespace JobServer.Bench.Peers;

/// <summary>
/// The REST scenario's peer: bare Kestrel (slim builder, no logging, no middleware) in the harness's own process,
/// answering <c>GET /api/v2.0/core/ping</c> with the JSON <c>"pong"</c> — what the mirror answers, with none of its
/// work (route table, sign-in, Dispatcher, serialization of the outcome).
/// </summary>
internal sealed class BareJsonEndpoint : IAsyncDisposable
{
    private static readonly byte[] Pong = "\"pong\""u8.ToArray();

    private readonly WebApplication _app;

    private BareJsonEndpoint(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<BareJsonEndpoint> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/api/v2.0/core/ping", () => Results.Bytes(Pong, "application/json"));
        await app.StartAsync();
        return new BareJsonEndpoint(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
