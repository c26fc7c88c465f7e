using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;

namespace JobServer.IntegrationTests.Spark;

/// <summary>
/// A callback receiver on a loopback port: answers its first <c>failures</c> requests with 500, then 200, and
/// hands every request's JSON body (and the status it got) to the test, in order.
/// </summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<(JsonElement Body, int Status)> _received = Channel.CreateUnbounded<(JsonElement, int)>();
    private readonly Task _serving;
    private int _failuresLeft;

    public CallbackReceiver(int failures = 0)
    {
        _failuresLeft = failures;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/callback";

    /// <summary>The next request the receiver got (bounded: a missing callback fails the test).</summary>
    public async Task<(JsonElement Body, int Status)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The requests received and not yet read.</summary>
    public int Unread => _received.Reader.Count;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 200;
            context.Response.StatusCode = status;
            context.Response.Close();
            await _received.Writer.WriteAsync((body.RootElement.Clone(), status));
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
