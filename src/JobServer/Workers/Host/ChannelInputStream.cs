using System.Buffers;
using System.Threading.Channels;
using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// A job's input pipe in the worker: the daemon's <see cref="FrameType.InputData"/> frames, read as they arrive.
/// Each frame fully read is acknowledged, so the daemon sends at most <see cref="CreditWindow.Frames"/> ahead.
/// </summary>
internal sealed class ChannelInputStream(JobLane channel) : Transfers.ReadOnlyStream
{
    private readonly Channel<(byte[] Buffer, int Length)> _frames =
        System.Threading.Channels.Channel.CreateUnbounded<(byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private (byte[] Buffer, int Length, int Offset)? _current;
    private string? _brokenReason;

    /// <summary>Called by the worker's read loop: keeps a copy of the frame's payload.</summary>
    public void Deliver(in Frame frame)
    {
        var copy = ArrayPool<byte>.Shared.Rent(frame.Payload.Length);
        frame.Span.CopyTo(copy);
        if (!_frames.Writer.TryWrite((copy, frame.Payload.Length)))
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>The input ended; with a reason, it broke (the upload was cut): reading to its end then throws.</summary>
    public void End(string? reason)
    {
        _brokenReason = string.IsNullOrEmpty(reason) ? null : reason;
        _frames.Writer.TryComplete();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_current is null)
        {
            if (!await _frames.Reader.WaitToReadAsync(cancellationToken) || !_frames.Reader.TryRead(out var next))
            {
                return _brokenReason is { } reason ? throw new IOException(reason) : 0;
            }

            _current = (next.Buffer, next.Length, 0);
        }

        var (frame, length, offset) = _current.Value;
        var count = Math.Min(buffer.Length, length - offset);
        frame.AsSpan(offset, count).CopyTo(buffer.Span);
        if (offset + count == length)
        {
            _current = null;
            ArrayPool<byte>.Shared.Return(frame);
            await channel.WriteCountAsync(FrameType.InputAck, 1, cancellationToken);
        }
        else
        {
            _current = (frame, length, offset + count);
        }

        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _frames.Writer.TryComplete();
            while (_frames.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }

        base.Dispose(disposing);
    }
}
