namespace JobServer.Tests.Filesystem;

/// <summary>An upload that breaks after some bytes (a client that went away).</summary>
internal sealed class FailingStream(int afterBytes) : Stream
{
    private int _served;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _served;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_served >= afterBytes)
        {
            throw new IOException("The client went away");
        }

        var n = Math.Min(count, afterBytes - _served);
        Array.Fill(buffer, (byte)'x', offset, n);
        _served += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
