using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// A lean DDP client for measuring: many calls in flight on one socket (matched by id), one send at a time,
/// and a receive loop that parses only what the harness needs (see <see cref="DdpMessageParser"/>) and hands
/// collection events to <see cref="OnEvent"/> with their arrival timestamp.
/// </summary>
internal sealed class DdpBenchClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<CallReply>> _pending = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private long _nextId;

    /// <summary>Called on the receive loop for every added/changed/removed message; keep it short.</summary>
    public Action<DdpEvent>? OnEvent { get; set; }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public string? CloseReason { get; private set; }

    public static async Task<DdpBenchClient> ConnectAsync(Uri webSocketUri, CancellationToken cancellationToken = default)
    {
        var client = new DdpBenchClient();
        try
        {
            await client._socket.ConnectAsync(webSocketUri, cancellationToken);
            client._receiveLoop = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
            await client.SendTextAsync("""{"msg":"connect","version":"1","support":["1"]}""");
            await client._connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs in as root with the benchmark's password.</summary>
    public async Task LoginAsync(string password = ServerProcess.RootPassword)
    {
        var reply = (await CallAsync("auth.login", $"[\"root\",\"{password}\"]")).EnsureSuccess("auth.login");
        if (reply.Bool != true)
        {
            throw new InvalidOperationException("auth.login answered false");
        }
    }

    /// <summary>Sends a call (<paramref name="paramsJson"/> is the JSON list of positional parameters) and awaits its result.</summary>
    public Task<CallReply> CallAsync(string method, string paramsJson = "[]")
    {
        var id = Interlocked.Increment(ref _nextId);
        var pending = Register(id);
        return SendAndAwaitAsync($"{{\"msg\":\"method\",\"id\":\"{id}\",\"method\":\"{method}\",\"params\":{paramsJson}}}", id, pending);
    }

    /// <summary>Subscribes to a collection and waits for <c>ready</c> (an error answer or <c>nosub</c> throws).</summary>
    public async Task SubscribeAsync(string name)
    {
        var id = Interlocked.Increment(ref _nextId);
        var pending = Register(id);
        var reply = await SendAndAwaitAsync($"{{\"msg\":\"sub\",\"id\":\"{id}\",\"name\":\"{name}\"}}", id, pending);
        reply.EnsureSuccess("sub " + name);
    }

    private TaskCompletionSource<CallReply> Register(long id)
    {
        var pending = new TaskCompletionSource<CallReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = pending;
        return pending;
    }

    private async Task<CallReply> SendAndAwaitAsync(string text, long id, TaskCompletionSource<CallReply> pending)
    {
        try
        {
            await SendTextAsync(text);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }

        return await pending.Task;
    }

    public async Task SendTextAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (total == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
                    total += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}";
                    return;
                }

                Dispatch(DdpMessageParser.Parse(buffer.AsSpan(0, total)), Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            CloseReason ??= e.Message;
        }
        finally
        {
            _connected.TrySetException(new WebSocketException("closed before connected: " + CloseReason));
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.TrySetException(new WebSocketException("connection closed: " + CloseReason));
                }
            }
        }
    }

    private void Dispatch(DdpMessageParser.Message message, long receivedAt)
    {
        switch (message.Msg)
        {
            case "result":
                Complete(message.CallId, new CallReply(message.Error, message.Number, message.Text, message.Bool, message.Raw));
                break;
            case "ready":
                foreach (var sub in message.Subs ?? [])
                {
                    Complete(sub, CallReply.Ready);
                }

                break;
            case "nosub":
                Complete(message.CallId, new CallReply(message.Error ?? "nosub", null, null, null, null));
                break;
            case "added" or "changed" or "removed":
                OnEvent?.Invoke(new DdpEvent(message.Msg, message.Collection, message.EventId, message.State,
                    message.TimeFinishedMs, receivedAt));
                break;
            case "connected":
                _connected.TrySetResult();
                break;
            case "failed":
                _connected.TrySetException(new InvalidOperationException("DDP handshake failed"));
                break;
        }
    }

    private void Complete(long id, CallReply reply)
    {
        if (_pending.TryRemove(id, out var pending))
        {
            pending.TrySetResult(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None)
                    .WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { });
        _socket.Abort();
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
