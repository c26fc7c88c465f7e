using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace JobServer.Workers.Channel;

/// <summary>
/// Frames over a pair of streams (a worker's standard input and output): a 4-byte little-endian length of what
/// follows, the <see cref="FrameType"/>, the 8-byte little-endian id of the job the frame is about (0 for the
/// worker's own frames: <see cref="FrameType.Ready"/>), and the payload. The job id is what lets one worker host
/// several jobs at once (a Spark context): each job talks over its own <see cref="JobLane"/> of the one channel.
/// Reads come from one loop; writes may come from any thread and are serialized, each frame in one write, so
/// frames never interleave.
/// </summary>
internal sealed class FrameChannel(Stream input, Stream output) : IAsyncDisposable
{
    /// <summary>The largest payload either side accepts: a peer that claims more is broken, not trusted.</summary>
    public const int MaxPayload = 16 * 1024 * 1024;

    /// <summary>The data frames' size: big enough to stream at pipe speed, small enough to keep memory flat.</summary>
    public const int DataChunk = 64 * 1024;

    private const int HeaderLength = 13;

    /// <summary>What the length counts besides the payload: the type and the job id.</summary>
    private const int TypeAndJobLength = 9;

    private readonly Stream _input = new BufferedStream(input, 64 * 1024);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly byte[] _header = new byte[HeaderLength];

    /// <summary>The next frame, or null when the peer closed the channel at a frame's boundary.</summary>
    /// <exception cref="InvalidDataException">The peer sent a frame this side cannot accept.</exception>
    /// <exception cref="EndOfStreamException">The channel ended inside a frame.</exception>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = await _input.ReadAtLeastAsync(_header, HeaderLength, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderLength)
        {
            throw new EndOfStreamException("The worker channel ended inside a frame's header");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_header) - TypeAndJobLength;
        if (length is < 0 or > MaxPayload)
        {
            throw new InvalidDataException($"A worker channel frame claims {length} bytes (at most {MaxPayload})");
        }

        var type = (FrameType)_header[4];
        var jobId = BinaryPrimitives.ReadInt64LittleEndian(_header.AsSpan(5));
        if (length == 0)
        {
            return new Frame(type, jobId, [], 0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _input.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new Frame(type, jobId, buffer, length);
    }

    /// <summary>The frames of one job: every write through it carries the job's id.</summary>
    public JobLane Lane(long jobId) => new(this, jobId);

    /// <summary>A frame of the worker's own (job id 0).</summary>
    public ValueTask WriteAsync(FrameType type, ReadOnlyMemory<byte> payload,
        CancellationToken cancellationToken = default) =>
        WriteAsync(0, type, payload, cancellationToken);

    public async ValueTask WriteAsync(long jobId, FrameType type, ReadOnlyMemory<byte> payload,
        CancellationToken cancellationToken = default)
    {
        if (payload.Length > MaxPayload)
        {
            throw new InvalidOperationException($"A worker channel frame of {payload.Length} bytes is too big");
        }

        var frame = ArrayPool<byte>.Shared.Rent(HeaderLength + payload.Length);
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length + TypeAndJobLength);
            frame[4] = (byte)type;
            BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(5), jobId);
            payload.Span.CopyTo(frame.AsSpan(HeaderLength));
            await _writeGate.WaitAsync(cancellationToken);
            try
            {
                await output.WriteAsync(frame.AsMemory(0, HeaderLength + payload.Length), cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
            finally
            {
                _writeGate.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public ValueTask WriteJsonAsync<T>(FrameType type, T message, JsonTypeInfo<T> info,
        CancellationToken cancellationToken = default) =>
        WriteAsync(type, JsonSerializer.SerializeToUtf8Bytes(message, info), cancellationToken);

    public ValueTask WriteTextAsync(FrameType type, string text, CancellationToken cancellationToken = default) =>
        WriteAsync(type, Encoding.UTF8.GetBytes(text), cancellationToken);

    public ValueTask WriteCountAsync(FrameType type, int count, CancellationToken cancellationToken = default) =>
        WriteAsync(type, Count(count), cancellationToken);

    /// <summary>The payload of a count frame (<see cref="FrameType.InputAck"/>, <see cref="FrameType.OutputAck"/>).</summary>
    public static byte[] Count(int count)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, count);
        return payload;
    }

    public static T ReadJson<T>(in Frame frame, JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(frame.Span, info) ??
        throw new InvalidDataException($"An empty {frame.Type} frame on a worker channel");

    public async ValueTask DisposeAsync()
    {
        await _input.DisposeAsync();
        await output.DisposeAsync();
        _writeGate.Dispose();
    }
}
