using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using JobServer.Client.Tests.Support;
using JobServer.IntegrationTests.Support;

namespace JobServer.Client.Tests;

public sealed class TransferTests(ClientDaemonFixture fixture) : IClassFixture<ClientDaemonFixture>
{
    private const long OneGiB = 1L << 30;

    // A streaming transfer holds a few 128 KiB buffers; anything near the file's size means it buffered.
    private const long MemoryGrowthBound = 96L << 20;

    private ClientDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task DownloadAsync_OneGiB_StreamsWithFlatMemory()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var memory = MemoryWatch.Start();
        var sink = new PatternCheckingSink();
        var progress = new InlineProgress<TransferProgress>(_ => memory.Sample());

        var bytes = await client.DownloadAsync("testjobs.produce", [OneGiB], sink, progress);

        bytes.Should().Be(OneGiB);
        sink.Length.Should().Be(OneGiB);
        sink.Intact.Should().BeTrue("byte i of testjobs.produce is i % 251");
        memory.ManagedGrowth.Should().BeLessThan(MemoryGrowthBound);
        memory.WorkingSetGrowth.Should().BeLessThan(MemoryGrowthBound);
    }

    [Fact]
    public async Task UploadAsync_OneGiB_StreamsWithFlatMemory()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var memory = MemoryWatch.Start();
        long reported = 0;
        var progress = new InlineProgress<TransferProgress>(p =>
        {
            reported = p.Bytes;
            memory.Sample();
        });

        var result = await client.UploadAsync<JsonElement>("testjobs.consume", [], new PatternStream(OneGiB), progress);

        result.GetProperty("bytes").GetInt64().Should().Be(OneGiB);
        reported.Should().Be(OneGiB);
        memory.ManagedGrowth.Should().BeLessThan(MemoryGrowthBound);
        memory.WorkingSetGrowth.Should().BeLessThan(MemoryGrowthBound);
    }

    [Fact]
    public async Task UploadAsync_SmallFile_JobSeesExactBytes()
    {
        await using var client = await Daemon.ConnectAsRootAsync();
        var data = RandomNumberGenerator.GetBytes(100_000);

        var result = await client.UploadAsync<JsonElement>("testjobs.consume", [], new MemoryStream(data));

        result.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [Fact]
    public async Task UploadAsync_UnknownMethod_RaisesItsErrno()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        var refused = await FluentActions.Awaiting(() =>
                client.UploadAsync<JsonElement>("testjobs.nothing", [], new MemoryStream([1, 2, 3])))
            .Should().ThrowAsync<JobServerCallException>();

        refused.Which.Errno.Should().Be(201);
    }

    [Fact]
    public async Task DownloadAsync_RefusedMethod_RaisesCallError()
    {
        await using var client = await Daemon.ConnectAsRootAsync();

        await FluentActions.Awaiting(() => client.DownloadAsync("testjobs.echo", [1], Stream.Null))
            .Should().ThrowAsync<JobServerCallException>();
    }

    /// <summary>Peak growth of this process's managed heap and working set since <see cref="Start"/>.</summary>
    private sealed class MemoryWatch
    {
        private readonly long _managed0 = GC.GetTotalMemory(forceFullCollection: true);
        private readonly long _workingSet0 = CurrentWorkingSet();
        private long _managedPeak;
        private long _workingSetPeak;
        private long _samples;

        public static MemoryWatch Start() => new();

        public long ManagedGrowth => _managedPeak - _managed0;

        public long WorkingSetGrowth => _workingSetPeak - _workingSet0;

        public void Sample()
        {
            // Every 256th report: enough samples over a GiB, without making the measurement the bottleneck.
            if (Interlocked.Increment(ref _samples) % 256 != 1)
            {
                return;
            }

            _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
            _workingSetPeak = Math.Max(_workingSetPeak, CurrentWorkingSet());
        }

        private static long CurrentWorkingSet()
        {
            using var self = Process.GetCurrentProcess();
            return self.WorkingSet64;
        }
    }

    /// <summary>Counts what it is given and checks it is testjobs.produce's pattern, keeping none of it.</summary>
    private sealed class PatternCheckingSink : Stream
    {
        public bool Intact { get; private set; } = true;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        private long _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != (byte)((_length + i) % 251))
                {
                    Intact = false;
                    break;
                }
            }

            _length += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
