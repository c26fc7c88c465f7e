using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace JobServer.Probes;

/// <summary>
/// A real WebSocket for tests, whatever the dialect. Messages are read in the background; tests wait for the
/// message they expect (with a timeout), never sleep. Messages nobody waited for yet are kept for later waits.
/// </summary>
public abstract class WebSocketTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _inbox = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _stash = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>The messages received so far that no wait has matched.</summary>
    public IReadOnlyList<JsonElement> Unmatched => _stash;

    /// <summary>
    /// Whether a message that matches was received and not consumed yet. Messages of one connection arrive in
    /// the order the server sent them, so once a later message arrived this answers without waiting.
    /// </summary>
    public bool HasPending(Func<JsonElement, bool> match)
    {
        while (_inbox.Reader.TryRead(out var message))
        {
            _stash.Add(message);
        }

        return _stash.Any(match);
    }

    protected async Task OpenAsync(Uri uri)
    {
        var wsUri = new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
        await _socket.ConnectAsync(wsUri, CancellationToken.None);
        _receiveLoop = ReceiveLoopAsync();
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) => SendFrameAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] data) => SendFrameAsync(data, WebSocketMessageType.Binary);

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

    private async Task SendFrameAsync(byte[] data, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(data, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

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
        GC.SuppressFinalize(this);
    }
}
