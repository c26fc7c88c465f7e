using System.Buffers.Binary;
using System.IO.Pipelines;
using JobServer.Workers.Channel;

namespace JobServer.Tests.Workers;

/// <summary>The worker channel's framing: what one side writes the other reads, and a broken peer is refused.</summary>
public sealed class FrameChannelTests
{
    [Fact]
    public async Task Frames_WrittenFromSeveralThreads_ArriveWholeAndInOrderPerWriter()
    {
        var pipe = new Pipe();
        await using var writer = new FrameChannel(Stream.Null, pipe.Writer.AsStream());
        await using var reader = new FrameChannel(pipe.Reader.AsStream(), Stream.Null);

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await writer.WriteCountAsync(FrameType.InputAck, (w * 1000) + i);
            }
        })).ToArray();
        var seen = new List<int>();
        for (var i = 0; i < 800; i++)
        {
            using var frame = (await reader.ReadAsync())!.Value;
            frame.Type.Should().Be(FrameType.InputAck);
            seen.Add(frame.Count);
        }

        await Task.WhenAll(writers);
        for (var w = 0; w < 4; w++)
        {
            seen.Where(c => c / 1000 == w).Should().BeInAscendingOrder().And.HaveCount(200);
        }
    }

    [Fact]
    public async Task JsonAndDataFrames_RoundTrip_AndTheEndIsNull()
    {
        // Room for every frame: this test writes them all before it reads.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        var channel = new FrameChannel(pipe.Reader.AsStream(), pipe.Writer.AsStream());
        var data = Enumerable.Range(0, FrameChannel.DataChunk).Select(i => (byte)i).ToArray();

        await channel.WriteJsonAsync(FrameType.Progress, new ProgressMessage(40, "half", null), WorkerJson.Default.ProgressMessage);
        await channel.WriteAsync(FrameType.OutputData, data);
        await channel.WriteAsync(FrameType.Abort, ReadOnlyMemory<byte>.Empty);
        await pipe.Writer.CompleteAsync();

        using (var progress = (await channel.ReadAsync())!.Value)
        {
            FrameChannel.ReadJson(progress, WorkerJson.Default.ProgressMessage).Should().Be(new ProgressMessage(40, "half", null));
        }

        using (var output = (await channel.ReadAsync())!.Value)
        {
            output.Payload.ToArray().Should().Equal(data);
        }

        using (var abort = (await channel.ReadAsync())!.Value)
        {
            abort.Type.Should().Be(FrameType.Abort);
            abort.Payload.Length.Should().Be(0);
        }

        (await channel.ReadAsync()).Should().BeNull();
    }

    [Fact]
    public async Task FramesOfSeveralJobs_CarryTheirJobIds_AndTheWorkersOwnFramesCarryZero()
    {
        var pipe = new Pipe();
        await using var writer = new FrameChannel(Stream.Null, pipe.Writer.AsStream());
        await using var reader = new FrameChannel(pipe.Reader.AsStream(), Stream.Null);

        await writer.Lane(7).WriteTextAsync(FrameType.Log, "of seven");
        await writer.Lane(long.MaxValue).WriteCountAsync(FrameType.InputAck, 3);
        await writer.WriteAsync(FrameType.Ready, ReadOnlyMemory<byte>.Empty);

        using (var seven = (await reader.ReadAsync())!.Value)
        {
            (seven.JobId, seven.Text).Should().Be((7L, "of seven"));
        }

        using (var last = (await reader.ReadAsync())!.Value)
        {
            (last.JobId, last.Count).Should().Be((long.MaxValue, 3));
        }

        using var ready = (await reader.ReadAsync())!.Value;
        (ready.JobId, ready.Type).Should().Be((0L, FrameType.Ready));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(FrameChannel.MaxPayload + 10)]
    public async Task AFrameClaimingAnImpossibleLength_IsRefused_BeforeAnythingIsAllocated(int length)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32LittleEndian(header, length);
        var channel = new FrameChannel(new MemoryStream(header), Stream.Null);

        var read = async () => await channel.ReadAsync();

        await read.Should().ThrowAsync<InvalidDataException>().WithMessage("*claims*");
    }

    [Fact]
    public async Task AChannelEndingInsideAFrame_IsAnError_NotAnEnd()
    {
        var bytes = new byte[13 + 3];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 19); // type + job id + 10 bytes promised, 3 sent
        var channel = new FrameChannel(new MemoryStream(bytes), Stream.Null);

        var read = async () => await channel.ReadAsync();

        await read.Should().ThrowAsync<EndOfStreamException>();
    }

    [Fact]
    public async Task CreditWindow_LetsAWindowAhead_ThenWaitsForCredit_AndABreakFailsTheWaiter()
    {
        var window = new CreditWindow();
        for (var i = 0; i < CreditWindow.Frames; i++)
        {
            await window.TakeAsync(CancellationToken.None);
        }

        var blocked = window.TakeAsync(CancellationToken.None).AsTask();
        blocked.IsCompleted.Should().BeFalse();
        window.Give(1);
        await blocked;

        var waiting = window.TakeAsync(CancellationToken.None).AsTask();
        window.Break("the downloader went away");
        await waiting.Invoking(t => t).Should().ThrowAsync<IOException>().WithMessage("the downloader went away");
    }
}
