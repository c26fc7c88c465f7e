using System.Buffers;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// A WebSocket's transport stream (HTTP/1.1 upgrade) that can hold outgoing frames back and send them in one
/// write. Kestrel flushes every write to its socket, so without it each frame is its own flush, wake-up of the
/// socket's sender and <c>send</c> call; a busy connection's send loop queues several frames at once (a result
/// and its <c>updated</c>, a burst of job events) and they leave together, with no frame waiting for a timer.
/// </summary>
/// <remarks>
/// The send loop calls <see cref="Hold"/> before each frame while more are queued and <see cref="SendHeldAsync"/>
/// once the queue is empty (the WebSocket's own flush after each frame is put off meanwhile). Frames written by anyone else (keep-alive pings, pongs, the close frame) go out at
/// once, or with the held ones when they arrive while the send loop is holding. Reads pass straight through.
/// </remarks>
internal sealed class FrameBatchingStream(Stream transport, int maxHeldBytes) : Stream
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private byte[]? _held; // Rented only while frames are held: an idle connection keeps no buffer.
    private int _heldBytes;
    private volatile bool _holding;

    public override bool CanRead => transport.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => transport.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Frames written from now on wait for <see cref="SendHeldAsync"/> (up to the size limit).</summary>
    public void Hold() => _holding = true;

    /// <summary>Stops holding and sends every held frame in one write (and flush).</summary>
    public ValueTask SendHeldAsync(CancellationToken cancellationToken) =>
        SendHeldCoreAsync(flushWhenNothingHeld: false, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_holding && _heldBytes + buffer.Length <= maxHeldBytes)
            {
                _held ??= ArrayPool<byte>.Shared.Rent(maxHeldBytes);
                buffer.Span.CopyTo(_held.AsSpan(_heldBytes));
                _heldBytes += buffer.Length;
                return;
            }

            await WriteHeldAsync(cancellationToken);
            await transport.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The WebSocket flushes after every frame; while holding, that flush is what is put off (the held frames
    /// leave with <see cref="SendHeldAsync"/>).
    /// </summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_holding)
        {
            await SendHeldCoreAsync(flushWhenNothingHeld: true, cancellationToken);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        transport.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        transport.ReadAsync(buffer, offset, count, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => transport.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            transport.Dispose();
            _writeGate.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await transport.DisposeAsync();
        _writeGate.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Writes what is held, if anything, in one write, then flushes the transport.</summary>
    private async ValueTask SendHeldCoreAsync(bool flushWhenNothingHeld, CancellationToken cancellationToken)
    {
        _holding = false;
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (await WriteHeldAsync(cancellationToken) || flushWhenNothingHeld)
            {
                await transport.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Writes what is held, if anything; true if it wrote.</summary>
    private async ValueTask<bool> WriteHeldAsync(CancellationToken cancellationToken)
    {
        if (_held is not { } held)
        {
            return false;
        }

        try
        {
            await transport.WriteAsync(held.AsMemory(0, _heldBytes), cancellationToken);
        }
        finally
        {
            (_held, _heldBytes) = (null, 0);
            ArrayPool<byte>.Shared.Return(held);
        }

        return true;
    }
}
