using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using JobServer.Protocol.WebSockets;

namespace JobServer.Tests.Protocol;

/// <summary>
/// Frames a connection's send loop finds queued together leave in one write of the transport (one flush and one
/// <c>send</c> in Kestrel); a frame alone leaves at once. A real <see cref="WebSocket"/> writes the frames.
/// </summary>
public sealed class FrameBatchingTests
{
    [Fact]
    public async Task FramesQueuedTogether_LeaveInOneWrite_InOrder()
    {
        var transport = new RecordingStream();
        var (pipe, _) = Connect(transport);
        foreach (var text in new[] { "one", "two", "three" })
        {
            pipe.TrySend(Encoding.UTF8.GetBytes(text)).Should().BeTrue();
        }

        pipe.RequestClose(WebSocketCloseStatus.NormalClosure, "");
        await pipe.RunSendLoopAsync(CancellationToken.None);

        var writes = transport.Writes();
        Frames(writes[0]).Should().Equal("one", "two", "three");
        writes.Should().HaveCount(2, "the three frames went in one write, the close frame in the next");
        writes[1][0].Should().Be(0x88, "the last write is the close frame");
    }

    [Fact]
    public async Task AFrameAlone_LeavesAtOnce()
    {
        var transport = new RecordingStream();
        var (pipe, _) = Connect(transport);
        var loop = pipe.RunSendLoopAsync(CancellationToken.None);

        pipe.TrySend("alone"u8.ToArray()).Should().BeTrue();

        Frames(await transport.NextWriteAsync()).Should().Equal("alone");
        pipe.RequestClose(WebSocketCloseStatus.NormalClosure, "");
        await loop;
    }

    [Fact]
    public async Task HeldBytesOverTheLimit_AreSentFirst_ThenTheLargeWriteOnItsOwn()
    {
        var transport = new RecordingStream();
        await using var batching = new FrameBatchingStream(transport, maxHeldBytes: 8);
        batching.Hold();

        await batching.WriteAsync("abc"u8.ToArray());
        await batching.WriteAsync("0123456789"u8.ToArray());
        await batching.WriteAsync("de"u8.ToArray());
        transport.Writes().Select(w => Encoding.ASCII.GetString(w)).Should().Equal("abc", "0123456789");
        await batching.SendHeldAsync(CancellationToken.None);

        transport.Writes().Select(w => Encoding.ASCII.GetString(w)).Should().Equal("abc", "0123456789", "de");
    }

    private static (WebSocketPipe Pipe, WebSocket Socket) Connect(Stream transport)
    {
        var batching = new FrameBatchingStream(transport, 64 * 1024);
        var socket = WebSocket.CreateFromStream(batching,
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        return (new WebSocketPipe(socket, 16, batching), socket);
    }

    /// <summary>The texts of the unmasked, short server frames in one write.</summary>
    private static List<string> Frames(byte[] write)
    {
        var texts = new List<string>();
        for (var at = 0; at < write.Length;)
        {
            write[at].Should().Be(0x81, "a final text frame");
            var length = write[at + 1];
            texts.Add(Encoding.UTF8.GetString(write, at + 2, length));
            at += 2 + length;
        }

        return texts;
    }

    /// <summary>A transport that records each write and never has anything to read.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly Channel<byte[]> _writes = Channel.CreateUnbounded<byte[]>();
        private readonly List<byte[]> _all = [];

        public List<byte[]> Writes()
        {
            while (_writes.Reader.TryRead(out var write))
            {
                _all.Add(write);
            }

            return _all;
        }

        public async Task<byte[]> NextWriteAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _writes.Reader.ReadAsync(timeout.Token);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _writes.Writer.TryWrite(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => _writes.Writer.TryWrite(buffer[offset..(offset + count)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => 0, TaskScheduler.Default));

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
