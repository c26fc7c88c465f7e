using System.Buffers;

namespace JobServer.Workers.Channel;

/// <summary>One frame read from a channel; its payload is a pooled buffer, returned by <see cref="Dispose"/>.</summary>
internal readonly struct Frame(FrameType type, long jobId, byte[] buffer, int length) : IDisposable
{
    public FrameType Type { get; } = type;

    /// <summary>The job the frame is about; 0 for the worker's own frames.</summary>
    public long JobId { get; } = jobId;

    public ReadOnlyMemory<byte> Payload => buffer.AsMemory(0, length);

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    /// <summary>A 4-byte count (<see cref="FrameType.InputAck"/>, <see cref="FrameType.OutputAck"/>).</summary>
    public int Count => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(Span);

    public string Text => System.Text.Encoding.UTF8.GetString(Span);

    public void Dispose()
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
