using System.Buffers;

namespace JobServer.Services.Config;

/// <summary>Copies a stream to another, reporting the bytes copied now and then (jobs turn it into progress).</summary>
internal static class ProgressCopy
{
    private const int BufferBytes = 128 * 1024;

    /// <summary>Progress is reported at most once per this many bytes, and once at the end.</summary>
    private const long ReportEveryBytes = 1024 * 1024;

    public static async Task<long> CopyAsync(Stream source, Stream destination, Action<long> progress,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long total = 0;
            long reported = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
                if (total - reported >= ReportEveryBytes)
                {
                    progress(total);
                    reported = total;
                }
            }

            progress(total);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
