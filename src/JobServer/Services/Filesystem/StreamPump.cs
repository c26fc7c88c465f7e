using System.Buffers;

namespace JobServer.Services.Filesystem;

/// <summary>Copies a stream with one pooled buffer, reporting the running total every <see cref="ReportEvery"/> bytes.</summary>
internal static class StreamPump
{
    /// <summary>Progress granularity: the daemon coalesces events anyway; this keeps the calls themselves cheap.</summary>
    public const long ReportEvery = 1024 * 1024;

    /// <summary>Copies until the source ends; <paramref name="onProgress"/> gets the total copied, also once at the end.</summary>
    /// <returns>The bytes copied.</returns>
    public static async Task<long> CopyAsync(Stream source, Stream destination, Action<long> onProgress,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(AtomicFile.BufferSize);
        try
        {
            long copied = 0;
            var nextReport = ReportEvery;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, AtomicFile.BufferSize), cancellationToken)) > 0)
            {
                // Checked per buffer too: a read from a pipe may not observe the token.
                cancellationToken.ThrowIfCancellationRequested();
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
                if (copied >= nextReport)
                {
                    onProgress(copied);
                    nextReport = copied + ReportEvery;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            onProgress(copied);
            return copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
