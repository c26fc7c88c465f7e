using System.IO.Pipelines;

namespace JobServer.Transfers;

/// <summary>
/// The write-only stream a job gets for its output pipe. Unlike <c>PipeWriter.AsStream()</c> it fails a write
/// once the reader is gone, so a job whose download was abandoned stops instead of writing into nothing.
/// </summary>
internal sealed class PipeWriterStream(PipeWriter writer) : Stream
{
    private volatile string? _abandoned;
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Interlocked.Read(ref _written);
        set => throw new NotSupportedException();
    }

    public void Abandon(string reason) => _abandoned = reason;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfAbandoned();
        var result = await writer.WriteAsync(buffer, cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
        ThrowIfReaderGone(result);
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end straight into the pipe's own buffers — one copy of every byte
    /// less than a <see cref="Stream.CopyToAsync(Stream)"/> into this stream (a process's stdout into a download).
    /// </summary>
    public async Task CopyFromAsync(Stream source, int chunkBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            ThrowIfAbandoned();
            var read = await source.ReadAsync(writer.GetMemory(chunkBytes), cancellationToken);
            if (read == 0)
            {
                return;
            }

            writer.Advance(read);
            Interlocked.Add(ref _written, read);
            ThrowIfReaderGone(await writer.FlushAsync(cancellationToken));
        }
    }

    private void ThrowIfReaderGone(FlushResult result)
    {
        if (result.IsCompleted)
        {
            ThrowIfAbandoned();
            throw new IOException("The download ended before the output did");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void ThrowIfAbandoned()
    {
        if (_abandoned is { } reason)
        {
            throw new IOException(reason);
        }
    }
}
