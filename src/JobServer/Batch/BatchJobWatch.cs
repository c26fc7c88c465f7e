using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace JobServer.Batch;

/// <summary>A watcher's queue of job objects; disposing it stops the watch.</summary>
internal sealed class BatchJobWatch(ChannelReader<JsonObject> changes, Action stop) : IDisposable
{
    public ChannelReader<JsonObject> Changes { get; } = changes;

    public void Dispose() => stop();
}
