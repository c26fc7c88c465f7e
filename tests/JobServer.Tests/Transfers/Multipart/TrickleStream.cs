using JobServer.Transfers;

namespace JobServer.Tests.Transfers.Multipart;

/// <summary>
/// A body that arrives a few bytes at a time: each read returns at most <paramref name="maxChunk"/> bytes (the
/// sizes cycling 1…max when <paramref name="cycle"/> is set), so every delimiter is cut at every offset somewhere.
/// </summary>
internal sealed class TrickleStream(byte[] content, int maxChunk, bool cycle = false) : ReadOnlyStream
{
    private int _position;
    private int _reads;

    public override long Length => content.Length;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var chunk = cycle ? 1 + (_reads++ % maxChunk) : maxChunk;
        var count = Math.Min(Math.Min(buffer.Length, chunk), content.Length - _position);
        content.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));
}
