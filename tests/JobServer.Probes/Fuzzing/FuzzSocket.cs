using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace JobServer.Probes.Fuzzing;

/// <summary>
/// A raw client WebSocket for the fuzzer: it sends any bytes as any frames (invalid UTF-8, fragments, binary)
/// and keeps every server message as bytes, since checking the server's answers is the point.
/// </summary>
internal sealed class FuzzSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private HttpMessageInvoker? _unixSocket;
    private readonly Channel<byte[]> _messages = Channel.CreateUnbounded<byte[]>();
    private Task _receiving = Task.CompletedTask;

    public ChannelReader<byte[]> Messages => _messages.Reader;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>The connection ended without the server's close frame (what a client sees as 1006).</summary>
    public bool Dropped { get; private set; }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Opens <paramref name="uri"/>, over the Unix socket at <paramref name="unixSocketPath"/> when given.</summary>
    public static async Task<FuzzSocket> OpenAsync(Uri uri, string? unixSocketPath = null)
    {
        var socket = new FuzzSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (unixSocketPath is null)
        {
            await socket._socket.ConnectAsync(uri, timeout.Token);
        }
        else
        {
            socket._unixSocket = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var unix = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix,
                        System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                    await unix.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(unixSocketPath), cancellationToken);
                    return new System.Net.Sockets.NetworkStream(unix, ownsSocket: true);
                },
            });
            await socket._socket.ConnectAsync(uri, socket._unixSocket, timeout.Token);
        }

        socket._receiving = socket.ReceiveLoopAsync();
        return socket;
    }

    /// <summary>Sends one input; false when the socket can no longer send (the server has closed it).</summary>
    public async Task<bool> SendAsync(FuzzFrame frame)
    {
        if (!IsOpen)
        {
            return false;
        }

        try
        {
            var bytes = frame.Bytes.AsMemory();
            var step = Math.Max(1, (bytes.Length + frame.Fragments - 1) / frame.Fragments);
            var offset = 0;
            do
            {
                var length = Math.Min(step, bytes.Length - offset);
                var last = offset + length >= bytes.Length;
                await _socket.SendAsync(bytes.Slice(offset, length), frame.Type, last, CancellationToken.None);
                offset += length;
            }
            while (offset < bytes.Length);

            return true;
        }
        // A send into a socket the server has just reset fails as a cancellation with a broken pipe inside.
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException
                                      or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends our close frame and waits for the server's; the server reads every earlier input first, so an
    /// answer in time proves the connection did not hang. False when it did not come in time.
    /// </summary>
    public async Task<bool> CloseAsync(TimeSpan deadline)
    {
        try
        {
            if (IsOpen)
            {
                using var timeout = new CancellationTokenSource(deadline);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or OperationCanceledException
                                      or IOException)
        {
            // The server closed meanwhile; its close frame (or its absence) is what the receive loop saw.
        }

        try
        {
            await _receiving.WaitAsync(deadline);
            return true;
        }
        catch (TimeoutException)
        {
            _socket.Abort();
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = _socket.CloseStatus;
                    CloseDescription = _socket.CloseStatusDescription;
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                buffer.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    await _messages.Writer.WriteAsync(buffer.WrittenSpan.ToArray());
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException
                                      or OperationCanceledException or IOException)
        {
            Dropped = CloseStatus is null;
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _unixSocket?.Dispose();
    }
}
