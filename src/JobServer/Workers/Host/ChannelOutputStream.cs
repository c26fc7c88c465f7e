using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// A job's output pipe in the worker: what it writes goes to the daemon in <see cref="FrameType.OutputData"/>
/// frames of at most <see cref="FrameChannel.DataChunk"/> bytes, each sent only with credit, so a slow downloader
/// slows the job down instead of filling memory.
/// </summary>
/// <remarks>Its window is never disposed: the worker's read loop may still hand it an acknowledgement after the job
/// ended, and a semaphore without a wait handle holds nothing to release.</remarks>
internal sealed class ChannelOutputStream(JobLane channel, CancellationToken aborted) : Stream
{
#pragma warning disable CA2213 // See the remarks: the window is deliberately not disposed.
    private readonly CreditWindow _window = new();
#pragma warning restore CA2213

    /// <summary>The daemon passed frames on.</summary>
    public void Acknowledge(int frames) => _window.Give(frames);

    /// <summary>The downloader went away: the job's next write fails with the reason.</summary>
    public void Break(string reason) => _window.Break(reason);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        while (!buffer.IsEmpty)
        {
            var chunk = buffer[..Math.Min(buffer.Length, FrameChannel.DataChunk)];
            await _window.TakeAsync(linked.Token);
            await channel.WriteAsync(FrameType.OutputData, chunk, linked.Token);
            buffer = buffer[chunk.Length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
