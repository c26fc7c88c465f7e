using System.IO.Pipelines;

namespace JobServer.Transfers;

/// <summary>
/// The write-only stream a job gets for its output pipe. Unlike <c>PipeWriter.AsStream()</c> it fails a write
/// once the reader is gone, so a job whose download was abandoned stops instead of writing into nothing. Once a
/// downloader offers its response (<see cref="Offer"/>), the writes after the next one's start go into the response
/// itself (<see cref="ResponseHandover"/>).
/// </summary>
internal sealed class PipeWriterStream(PipeWriter writer) : Stream
{
    private volatile string? _abandoned;
    private volatile ResponseHandover? _offered;
    private ResponseHandover? _direct; // Only the job's side reads and writes it.
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

    /// <summary>True once the job writes into a response instead of the pipe (the pipe's writer is completed).</summary>
    public bool WritesDirect => _direct is not null;

    public void Abandon(string reason) => _abandoned = reason;

    /// <summary>A downloader attached: the job switches to its response at its next write.</summary>
    public void Offer(ResponseHandover handover) => _offered = handover;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfAbandoned();
        if (await SwitchWhenOfferedAsync(cancellationToken) is { } direct)
        {
            await direct.WriteAsync(buffer, cancellationToken);
            Interlocked.Add(ref _written, buffer.Length);
            return;
        }

        var result = await writer.WriteAsync(buffer, cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
        ThrowIfReaderGone(result);
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end straight into the pipe's own buffers, or the response's once a
    /// downloader took over — one copy of every byte less than a <see cref="Stream.CopyToAsync(Stream)"/> into
    /// this stream (a process's stdout into a download).
    /// </summary>
    public async Task CopyFromAsync(Stream source, int chunkBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            ThrowIfAbandoned();
            var read = await SwitchWhenOfferedAsync(cancellationToken) is { } direct
                ? await direct.ReadIntoAsync(source, chunkBytes, cancellationToken)
                : await ReadIntoPipeAsync(source, chunkBytes, cancellationToken);
            if (read == 0)
            {
                return;
            }

            Interlocked.Add(ref _written, read);
        }
    }

    private async ValueTask<int> ReadIntoPipeAsync(Stream source, int chunkBytes, CancellationToken cancellationToken)
    {
        var read = await source.ReadAsync(writer.GetMemory(chunkBytes), cancellationToken);
        if (read > 0)
        {
            writer.Advance(read);
            ThrowIfReaderGone(await writer.FlushAsync(cancellationToken));
        }

        return read;
    }

    /// <summary>
    /// Between two writes, and once: ends the pipe (so the downloader sends what it holds), waits until it has,
    /// and from then on writes to the response.
    /// </summary>
    private async ValueTask<ResponseHandover?> SwitchWhenOfferedAsync(CancellationToken cancellationToken)
    {
        if (_direct is null && _offered is { } offered)
        {
            await writer.CompleteAsync();
            await offered.Drained.WaitAsync(cancellationToken);
            _direct = offered;
        }

        return _direct;
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
