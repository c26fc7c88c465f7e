using System.Threading.Channels;

namespace JobServer.Batch;

/// <summary>A watcher's queue of job states; disposing it stops the watch.</summary>
internal sealed class BatchJobWatch(ChannelReader<BatchJobSnapshot> changes, Action stop) : IDisposable
{
    public ChannelReader<BatchJobSnapshot> Changes { get; } = changes;

    public void Dispose() => stop();
}
