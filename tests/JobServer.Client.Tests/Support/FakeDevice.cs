using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JobServer.Client.Tests.Support;

/// <summary>
/// A device's local API for <c>jobctl agent --forward</c>: an HTTP server on a loopback port that records every
/// request and answers 200 <c>{"ok": true, "device": NAME}</c> — or holds its answers while <see cref="Hold"/>
/// is on, so a test can act while a request is in flight.
/// </summary>
public sealed class FakeDevice : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _released = Released();
    private string? _heldPath;
    private readonly List<(int Count, TaskCompletionSource Seen)> _waits = [];

    private FakeDevice(string name, int port)
    {
        Name = name;
        Url = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"{Url}");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Name { get; }

    public Uri Url { get; }

    /// <summary>Every request so far as <c>METHOD /path body</c>.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static FakeDevice Start(string name) => new(name, FreePort());

    /// <summary>Holds the answers of later requests (only those to <paramref name="path"/> if given) until <see cref="Release"/>.</summary>
    public void Hold(string? path = null)
    {
        lock (_gate)
        {
            _heldPath = path;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _released.TrySetResult();
        }
    }

    /// <summary>Completes once <paramref name="count"/> requests have arrived in all.</summary>
    public Task RequestsAsync(int count)
    {
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((count, seen));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Task released;
        lock (_gate)
        {
            _requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {body}".TrimEnd());
            foreach (var wait in _waits.Where(w => w.Count <= _requests.Count).ToArray())
            {
                _waits.Remove(wait);
                wait.Seen.TrySetResult();
            }

            released = _heldPath is null || _heldPath == context.Request.Url.AbsolutePath ? _released.Task : Task.CompletedTask;
        }

        await released;
        try
        {
            var answer = Encoding.UTF8.GetBytes($$"""{"ok":true,"device":"{{Name}}"}""");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The agent went away mid-request.
        }
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
