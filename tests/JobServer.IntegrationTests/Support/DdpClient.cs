using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace JobServer.IntegrationTests.Support;

/// <summary>
/// A real WebSocket DDP client for tests. Messages are read in the background; tests wait for the message they
/// expect (with a timeout), never sleep.
/// </summary>
public sealed class DdpClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _inbox = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _stash = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextId;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public string? SessionId { get; private set; }

    public static async Task<DdpClient> ConnectAsync(Uri uri, bool handshake = true)
    {
        var client = new DdpClient();
        var wsUri = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
        await client._socket.ConnectAsync(wsUri, CancellationToken.None);
        client._receiveLoop = client.ReceiveLoopAsync();
        if (handshake)
        {
            await client.SendAsync(new { msg = "connect", version = "1", support = new[] { "1" } });
            var connected = await client.ReceiveAsync(m => m.Msg() is "connected" or "failed");
            connected.Msg().Should().Be("connected");
            client.SessionId = connected.GetProperty("session").GetString();
        }

        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] data)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a method call and returns its id.</summary>
    public async Task<string> SendCallAsync(string method, params object?[] parameters)
    {
        var id = $"call-{Interlocked.Increment(ref _nextId)}";
        await SendAsync(new { id, msg = "method", method, @params = parameters });
        return id;
    }

    /// <summary>Calls a method and returns the whole <c>result</c> message.</summary>
    public async Task<JsonElement> CallAsync(string method, params object?[] parameters)
    {
        var id = await SendCallAsync(method, parameters);
        return await ResultOfAsync(id);
    }

    /// <summary>Calls a method and returns its result value, failing the test on an error.</summary>
    public async Task<JsonElement> CallResultAsync(string method, params object?[] parameters)
    {
        var message = await CallAsync(method, parameters);
        message.TryGetProperty("error", out var error).Should().BeFalse($"{method} should succeed, got {error}");
        return message.GetProperty("result");
    }

    /// <summary>Calls a method and returns its error object, failing the test on a result.</summary>
    public async Task<JsonElement> CallErrorAsync(string method, params object?[] parameters)
    {
        var message = await CallAsync(method, parameters);
        message.TryGetProperty("error", out var error).Should().BeTrue($"{method} should fail, got {message}");
        return error;
    }

    public Task<JsonElement> ResultOfAsync(string id) =>
        ReceiveAsync(m => m.Msg() == "result" && m.TryGetProperty("id", out var i) && i.GetString() == id);

    /// <summary>Waits for the first message (earlier unmatched ones included) that matches.</summary>
    public async Task<JsonElement> ReceiveAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var index = _stash.FindIndex(m => match(m));
        if (index >= 0)
        {
            var found = _stash[index];
            _stash.RemoveAt(index);
            return found;
        }

        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var message = await _inbox.Reader.ReadAsync(cts.Token);
                if (match(message))
                {
                    return message;
                }

                _stash.Add(message);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching message; received: {string.Join(", ", _stash)}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException(
                $"Socket closed ({CloseStatus} {CloseDescription}); received: {string.Join(", ", _stash)}");
        }
    }

    /// <summary>Waits until the server closes the socket.</summary>
    public async Task WaitClosedAsync(TimeSpan? timeout = null) => await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var total = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(
                        new ArraySegment<byte>(buffer, total, buffer.Length - total), CancellationToken.None);
                    total += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    CloseDescription = result.CloseStatusDescription;
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, total));
                await _inbox.Writer.WriteAsync(document.RootElement.Clone());
            }
        }
        catch (WebSocketException)
        {
            // The server dropped the connection.
        }
        finally
        {
            _inbox.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None)
                    .WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException)
            {
                // Already gone.
            }
        }

        await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
        _sendLock.Dispose();
    }
}

public static class JsonElementExtensions
{
    public static string? Msg(this JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("msg", out var msg) ? msg.GetString() : null;
}
