using System.Buffers;
using System.IO.Pipelines;
using JobServer.Jobs;
using JobServer.Transfers;

namespace JobServer.Tests.Transfers;

/// <summary>
/// A job's output pipe and its handover to the download: what the job wrote before the download began is sent
/// first, the rest goes straight into the response, and the response is never written after the download let go.
/// A <see cref="Pipe"/> stands in for Kestrel's response body.
/// </summary>
public sealed class PipedJobOutputTests
{
    private const int PipeBytes = 64 * 1024;

    // The pipe output never looks at the job (a spool file does).
    private static readonly Job NoJob = null!;

    [Fact]
    public async Task OutputBeforeAndAfterTheDownloadBegins_ArrivesWholeAndInOrder()
    {
        using var output = new PipedJobOutput(PipeBytes);
        var job = (PipeWriterStream)output.Writer;
        var bytes = Pattern(300_000);
        await job.WriteAsync(bytes.AsMemory(0, 50_000));

        var response = new Pipe();
        var received = ReadAllAsync(response.Reader);
        var download = output.CopyToAsync(response.Writer, NoJob, CancellationToken.None);
        await job.WriteAsync(bytes.AsMemory(50_000, 50_000));
        job.WritesDirect.Should().BeTrue("the job writes into the response once the pipe is drained");
        await job.CopyFromAsync(new MemoryStream(bytes, 100_000, 200_000), 16 * 1024, CancellationToken.None);
        output.Complete(JobState.Success);

        await download;
        await response.Writer.CompleteAsync();
        (await received).Should().Equal(bytes);
        job.Position.Should().Be(bytes.Length);
    }

    [Fact]
    public async Task JobFailsAfterTheHandover_TheDownloadEndsBroken()
    {
        using var output = new PipedJobOutput(PipeBytes);
        var job = (PipeWriterStream)output.Writer;
        var response = new Pipe();
        _ = ReadAllAsync(response.Reader);
        var download = output.CopyToAsync(response.Writer, NoJob, CancellationToken.None);
        await job.WriteAsync(Pattern(1000));

        output.Complete(JobState.Failed);

        (await download.Invoking(d => d).Should().ThrowAsync<IOException>())
            .WithMessage("The job ended FAILED; the output is incomplete");
    }

    [Fact]
    public async Task ClientGoesAwayWhileTheJobWaitsForInput_TheJobStopsAndNeverWritesTheResponseAgain()
    {
        using var output = new PipedJobOutput(PipeBytes);
        var job = (PipeWriterStream)output.Writer;
        var response = new Pipe();
        using var client = new CancellationTokenSource();
        var download = output.CopyToAsync(response.Writer, NoJob, client.Token);
        var stdout = new Pipe(); // a process that wrote 1000 bytes and then nothing
        await stdout.Writer.WriteAsync(Pattern(1000));
        var copy = job.CopyFromAsync(stdout.Reader.AsStream(), 16 * 1024, CancellationToken.None);
        var first = await response.Reader.ReadAtLeastAsync(1000);
        first.Buffer.ToArray().Should().Equal(Pattern(1000));
        response.Reader.AdvanceTo(first.Buffer.End);

        await client.CancelAsync();

        await download.Invoking(d => d).Should().ThrowAsync<OperationCanceledException>();
        (await copy.Invoking(c => c).Should().ThrowAsync<IOException>()).WithMessage(JobOutput.ClientDisconnected);
        await job.Invoking(j => j.WriteAsync(Pattern(10)).AsTask()).Should().ThrowAsync<IOException>();
        await stdout.Writer.WriteAsync(Pattern(10));
        await response.Writer.CompleteAsync();
        (await ReadAllAsync(response.Reader)).Should().BeEmpty("nothing reaches the response after the download let go");
    }

    [Fact]
    public async Task ClientGoesAwayWhileThePipeIsStillBeingSent_TheJobsNextWriteFails()
    {
        using var output = new PipedJobOutput(PipeBytes);
        var job = (PipeWriterStream)output.Writer;
        await job.WriteAsync(Pattern(PipeBytes / 2));
        var stalled = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512)); // nobody reads it
        using var client = new CancellationTokenSource();
        var download = output.CopyToAsync(stalled.Writer, NoJob, client.Token);
        var write = job.WriteAsync(Pattern(10)).AsTask(); // waits for the pipe to be sent before writing directly

        await client.CancelAsync();

        await download.Invoking(d => d).Should().ThrowAsync<OperationCanceledException>();
        await write.Invoking(w => w).Should().ThrowAsync<IOException>();
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 % 251)).ToArray();

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        using var all = new MemoryStream();
        await reader.CopyToAsync(all);
        return all.ToArray();
    }
}
