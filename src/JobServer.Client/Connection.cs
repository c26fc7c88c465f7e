using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace JobServer.Client;

/// <summary>
/// One WebSocket to the daemon: one receive loop matching answers to calls by id, one send lock (a WebSocket
/// allows one writer at a time). It does not reconnect: <see cref="JobServerClient"/> replaces a lost one.
/// </summary>
internal sealed class Connection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly WireDialect _wire;
    private readonly Action<InboundMessage> _onPush;
    private readonly ConcurrentDictionary<long, (string Method, TaskCompletionSource<JsonElement> Answer)> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private Task _receiving = Task.CompletedTask;

    private Connection(ClientWebSocket socket, WireDialect wire, Action<InboundMessage> onPush)
    {
        _socket = socket;
        _wire = wire;
        _onPush = onPush;
    }

    /// <summary>Completes when the connection is gone (closed by either side or broken).</summary>
    public Task Closed => _receiving;

    /// <summary>Opens the socket and, on DDP, completes the handshake.</summary>
    public static async Task<Connection> OpenAsync(JobServerEndpoint endpoint, HttpMessageInvoker invoker,
        WireDialect wire, Action<InboundMessage> onPush, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(endpoint.WebSocketUri, invoker, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
        {
            socket.Dispose();
            throw new JobServerConnectionException($"Cannot connect to {Describe(endpoint)}: {e.Message}", e);
        }

        var connection = new Connection(socket, wire, onPush);
        connection._receiving = connection.ReceiveLoopAsync();
        if (wire.Handshake is { } hello)
        {
            await connection.SendAsync(hello, cancellationToken);
            if (!await connection._handshake.Task.WaitAsync(cancellationToken))
            {
                await connection.DisposeAsync();
                throw new JobServerConnectionException("The daemon refused the DDP handshake");
            }
        }

        return connection;
    }

    public static string Describe(JobServerEndpoint endpoint) =>
        endpoint.UnixSocketPath is { } path ? $"{JobServerEndpoint.UnixScheme}://{path}" : endpoint.WebSocketUri.ToString();

    /// <summary>Sends a call and waits for its answer; a refusal is thrown as <see cref="JobServerCallException"/>.</summary>
    public async Task<JsonElement> CallAsync(string method, IReadOnlyList<object?> args, JsonSerializerOptions options,
        CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (method, answer);
        try
        {
            if (_receiving.IsCompleted)
            {
                throw Lost(null);
            }

            await SendAsync(_wire.Call(id, method, args, options), cancellationToken);
            return await answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            throw Lost(e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        Exception? failure = null;
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                ValueWebSocketReceiveResult frame;
                do
                {
                    frame = await _socket.ReceiveAsync(message.GetMemory(8 * 1024), _stop.Token);
                    message.Advance(frame.Count);
                }
                while (!frame.EndOfMessage && frame.MessageType != WebSocketMessageType.Close);

                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    failure = new JobServerConnectionException(
                        $"The daemon closed the connection ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})");
                    break;
                }

                using var document = JsonDocument.Parse(message.WrittenMemory);
                Dispatch(_wire.Read(document.RootElement));
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or JsonException)
        {
            failure = e;
        }
        finally
        {
            _handshake.TrySetResult(false);
            foreach (var (_, (method, answer)) in _pending)
            {
                answer.TrySetException(Lost(failure, method));
            }
        }
    }

    private void Dispatch(InboundMessage inbound)
    {
        switch (inbound)
        {
            case InboundMessage.Result result when _pending.TryGetValue(result.Id, out var call):
                call.Answer.TrySetResult(result.Value);
                break;
            case InboundMessage.Failure failure when _pending.TryGetValue(failure.Id, out var call):
                call.Answer.TrySetException(failure.Error(call.Method));
                break;
            case InboundMessage.Connected connected:
                _handshake.TrySetResult(connected.Accepted);
                break;
            case InboundMessage.Ping ping:
                _ = SendAsync(_wire.Pong(ping.Id), CancellationToken.None).ContinueWith(
                    t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                break;
            case InboundMessage.Event or InboundMessage.Unsubscribed:
                _onPush(inbound);
                break;
        }
    }

    private static JobServerConnectionException Lost(Exception? cause, string? method = null)
    {
        var what = method is null ? "The connection to the daemon was lost" : $"The connection was lost during {method}";
        return cause is null
            ? new JobServerConnectionException(what)
            : new JobServerConnectionException($"{what}: {cause.Message}", cause);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                await _receiving.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
                // Closing a connection that is already broken: nothing to tell anyone.
            }
        }

        await _stop.CancelAsync();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
