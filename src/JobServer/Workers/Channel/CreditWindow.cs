namespace JobServer.Workers.Channel;

/// <summary>
/// How many data frames one side may send before the other has taken them: the sender waits for credit, the
/// receiver gives it back as it consumes. It keeps a pipe's data in flight bounded (<see cref="Frames"/> ×
/// <see cref="FrameChannel.DataChunk"/>), so a 1 GiB transfer never buffers more than that on either side, and a
/// slow reader slows the writer, as an in-process pipe does.
/// </summary>
internal sealed class CreditWindow : IDisposable
{
    /// <summary>16 frames of 64 KiB: 1 MiB in flight, enough to keep a pipe busy.</summary>
    public const int Frames = 16;

    private readonly SemaphoreSlim _credit = new(Frames, int.MaxValue);
    private volatile string? _broken;

    /// <summary>Waits until one frame may be sent; throws <see cref="IOException"/> once the other side broke.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        await _credit.WaitAsync(cancellationToken);
        ThrowIfBroken();
    }

    public void Give(int frames)
    {
        if (frames > 0)
        {
            _credit.Release(frames);
        }
    }

    /// <summary>The other side will take nothing more: every waiter (and every later take) fails with the reason.</summary>
    public void Break(string reason)
    {
        _broken ??= reason;
        _credit.Release(Frames);
    }

    public void Dispose() => _credit.Dispose();

    private void ThrowIfBroken()
    {
        if (_broken is { } reason)
        {
            throw new IOException(reason);
        }
    }
}
