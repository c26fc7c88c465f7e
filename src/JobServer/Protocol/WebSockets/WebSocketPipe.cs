using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// A WebSocket with one writer: every outbound message goes through a bounded queue drained by a single send
/// loop (a WebSocket allows one send at a time), and inbound messages are assembled from frames up to a size
/// limit. Closing drains what is queued, then sends the close frame. With a <see cref="FrameBatchingStream"/>
/// under the socket, the frames the loop finds queued together leave in one write.
/// </summary>
internal sealed class WebSocketPipe
{
    private readonly WebSocket _socket;
    private readonly FrameBatchingStream? _batching;
    private readonly Channel<byte[]> _outbound;
    private readonly ArrayBufferWriter<byte> _inbound = new(4096);
    private readonly Lock _closeLock = new();
    private (WebSocketCloseStatus Status, string Description)? _close;

    public WebSocketPipe(WebSocket socket, int outboundCapacity, FrameBatchingStream? batching = null)
    {
        _socket = socket;
        _batching = batching;
        _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(outboundCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Queues a message without waiting; false when the queue is full or closed.</summary>
    public bool TrySend(byte[] message) => _outbound.Writer.TryWrite(message);

    /// <summary>Queues a message, waiting for room (backpressure for call results).</summary>
    public async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            await _outbound.Writer.WriteAsync(message, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // The connection is closing; the message has nobody to go to.
        }
    }

    /// <summary>Ends the outbound queue; the send loop sends what is queued, then the close frame.</summary>
    public void RequestClose(WebSocketCloseStatus status, string description)
    {
        lock (_closeLock)
        {
            if (_close is not null)
            {
                return;
            }

            _close = (status, Truncate(description));
            _outbound.Writer.TryComplete();
        }
    }

    public async Task RunSendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                // Hold this frame back while more are queued; the last one queued sends them all.
                if (_batching is not null && _outbound.Reader.TryPeek(out _))
                {
                    _batching.Hold();
                }

                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                if (_batching is not null && !_outbound.Reader.TryPeek(out _))
                {
                    await _batching.SendHeldAsync(cancellationToken);
                }
            }

            var (status, description) = _close ?? (WebSocketCloseStatus.NormalClosure, "");
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, description, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; the receive loop sees it too and ends the connection.
        }
        finally
        {
            _outbound.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Receives one whole message of at most <paramref name="maxBytes"/> bytes. The limit is asked for as data
    /// arrives, not when the receive starts: a login that completes while we wait raises it for this message.
    /// </summary>
    public async Task<ReceivedMessage> ReceiveAsync(Func<int> maxBytes, CancellationToken cancellationToken)
    {
        _inbound.ResetWrittenCount();
        while (true)
        {
            var memory = _inbound.GetMemory(16 * 1024);
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(memory, cancellationToken);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                return ReceivedMessage.Closed;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ReceivedMessage.Closed;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                return ReceivedMessage.Binary;
            }

            _inbound.Advance(result.Count);
            if (_inbound.WrittenCount > maxBytes())
            {
                return ReceivedMessage.TooBig;
            }

            if (result.EndOfMessage)
            {
                return new ReceivedMessage(ReceiveStatus.Text, _inbound.WrittenSpan.ToArray());
            }
        }
    }

    /// <summary>
    /// After our close frame has gone: reads and discards what the peer still sends until its close frame
    /// arrives, at most <paramref name="maxBytes"/> within <paramref name="timeout"/>. A socket disposed with
    /// unread data is reset by TCP, and the reset can overtake our close frame at the peer.
    /// </summary>
    public async Task AwaitPeerCloseAsync(TimeSpan timeout, long maxBytes)
    {
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        // Cancelling a receive aborts the socket: just what a peer that never closes deserves.
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            long discarded = 0;
            while (_socket.State == WebSocketState.CloseSent && discarded <= maxBytes)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                discarded += result.Count;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or took too long; the socket is dropped either way.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Close descriptions are limited to 123 UTF-8 bytes by RFC 6455.</summary>
    private static string Truncate(string description)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(description) > 123)
        {
            description = description[..^1];
        }

        return description;
    }
}
