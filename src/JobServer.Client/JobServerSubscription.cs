using System.Threading.Channels;

namespace JobServer.Client;

/// <summary>
/// A live subscription to one collection (or <c>*</c>): enumerate it for its events; dispose it to unsubscribe.
/// It survives reconnects (events sent while the client was disconnected are missed); it ends with
/// <see cref="JobServerCallException"/> when the daemon ends it (the session lost the right to see it).
/// </summary>
public sealed class JobServerSubscription : IAsyncEnumerable<CollectionEvent>, IAsyncDisposable
{
    // Unbounded: the reader is the caller's code; the daemon itself closes a subscriber that falls far behind.
    private readonly Channel<CollectionEvent> _events =
        Channel.CreateUnbounded<CollectionEvent>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly JobServerClient _client;

    internal JobServerSubscription(JobServerClient client, string collection)
    {
        _client = client;
        Collection = collection;
    }

    /// <summary>The collection subscribed to.</summary>
    public string Collection { get; }

    /// <summary>The events as a channel, for readers that want <c>TryRead</c> or <c>WaitToReadAsync</c>.</summary>
    public ChannelReader<CollectionEvent> Reader => _events.Reader;

    internal void Deliver(CollectionEvent e) => _events.Writer.TryWrite(e);

    internal void Complete(Exception? error) => _events.Writer.TryComplete(error);

    public IAsyncEnumerator<CollectionEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Complete(null);
        await _client.UnsubscribeAsync(this);
    }
}
