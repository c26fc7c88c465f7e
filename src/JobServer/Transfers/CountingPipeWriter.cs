using System.IO.Pipelines;

namespace JobServer.Transfers;

/// <summary>
/// A response's <see cref="PipeWriter"/> that counts the bytes written through it (for
/// <see cref="TransferMetrics"/>), whichever way a job's output reaches it: copied (<see cref="WriteAsync"/>) or
/// read straight into its memory (<see cref="Advance"/>). Everything else is the inner writer's.
/// </summary>
internal sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
{
    private long _written;

    /// <summary>Bytes written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public override void Advance(int bytes)
    {
        inner.Advance(bytes);
        Interlocked.Add(ref _written, bytes);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _written, source.Length);
        return inner.WriteAsync(source, cancellationToken);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;
}
