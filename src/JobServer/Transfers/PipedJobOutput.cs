using System.IO.Pipelines;
using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>
/// Unbuffered output: a <see cref="Pipe"/> with a bounded buffer between the job and the HTTP response, so a slow
/// client slows the job and a file never sits in memory. Writes fail once nobody will read.
/// </summary>
internal sealed class PipedJobOutput : JobOutput
{
    /// <summary>
    /// Segments as large as what a process writes to a pipe at once: the default 4 KiB cut every job write into
    /// many segments, each a separate write to the response.
    /// </summary>
    private const int SegmentBytes = 64 * 1024;

    private readonly Pipe _pipe;

    public PipedJobOutput(int bufferBytes)
    {
        _pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: bufferBytes,
            resumeWriterThreshold: bufferBytes / 2,
            minimumSegmentSize: SegmentBytes,
            useSynchronizationContext: false));
        Writer = new PipeWriterStream(_pipe.Writer);
    }

    public override Stream Writer { get; }

    public override void Complete(JobState state)
    {
        if (state == JobState.Success)
        {
            _pipe.Writer.Complete();
        }
        else
        {
            _pipe.Writer.Complete(new IOException($"The job ended {state.WireName()}; the output is incomplete"));
        }
    }

    public override void Abandon(string reason)
    {
        ((PipeWriterStream)Writer).Abandon(reason);
        _pipe.Reader.Complete(new IOException(reason));
    }

    public override async Task CopyToAsync(PipeWriter destination, Job job, CancellationToken cancellationToken)
    {
        await _pipe.Reader.CopyToAsync(destination, cancellationToken);
        await _pipe.Reader.CompleteAsync();
    }
}
