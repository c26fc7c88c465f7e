using System.IO.Pipelines;
using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>
/// Unbuffered output: a <see cref="Pipe"/> with a bounded buffer between the job and the HTTP response, so a slow
/// client slows the job and a file never sits in memory. Writes fail once nobody will read. Once the download has
/// begun and sent what the pipe held, the job writes into the response itself (<see cref="ResponseHandover"/>).
/// </summary>
internal sealed class PipedJobOutput : JobOutput
{
    /// <summary>
    /// Segments as large as what a process writes to a pipe at once: the default 4 KiB cut every job write into
    /// many segments, each a separate write to the response.
    /// </summary>
    private const int SegmentBytes = 64 * 1024;

    private readonly Pipe _pipe;
    private readonly PipeWriterStream _stream;

    /// <summary>The job's end: the one word on whether the output is whole, wherever its bytes went.</summary>
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The downloader has sent everything the pipe held up to its end.</summary>
    private readonly TaskCompletionSource _taken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PipedJobOutput(int bufferBytes)
    {
        _pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: bufferBytes,
            resumeWriterThreshold: bufferBytes / 2,
            minimumSegmentSize: SegmentBytes,
            useSynchronizationContext: false));
        _stream = new PipeWriterStream(_pipe.Writer);
    }

    public override Stream Writer => _stream;

    public override void Complete(JobState state)
    {
        var failure = state == JobState.Success
            ? null
            : new IOException($"The job ended {state.WireName()}; the output is incomplete");
        if (!_stream.WritesDirect)
        {
            _pipe.Writer.Complete(failure);
        }

        if (failure is null)
        {
            _ended.TrySetResult();
        }
        else
        {
            _ended.TrySetException(failure);
            _ = _ended.Task.Exception; // Observed: a job nobody downloaded must not raise UnobservedTaskException.
        }
    }

    /// <summary>
    /// Ends the output (the downloader sends what the pipe holds and sees its end) and waits until a downloader has
    /// sent all of it. Once the job writes into the response itself every byte already went there. A download that
    /// never begins leaves this waiting until the window passes and the job is aborted, whatever the size.
    /// </summary>
    public override async Task WaitTakenAsync(CancellationToken cancellationToken)
    {
        if (_stream.WritesDirect)
        {
            return;
        }

        await _pipe.Writer.CompleteAsync();
        await _taken.Task.WaitAsync(cancellationToken);
    }

    public override void Abandon(string reason)
    {
        _stream.Abandon(reason);
        _pipe.Reader.Complete(new IOException(reason));
    }

    /// <summary>
    /// Sends what the pipe holds, hands the response to the job for the rest, and returns when the job has ended
    /// (throwing when it ended broken) — never while the job may still be writing into the response.
    /// </summary>
    public override async Task CopyToAsync(PipeWriter destination, Job job, CancellationToken cancellationToken)
    {
        var handover = new ResponseHandover(destination, cancellationToken);
        _stream.Offer(handover);
        try
        {
            try
            {
                await _pipe.Reader.CopyToAsync(destination, cancellationToken);
                await _pipe.Reader.CompleteAsync();
                handover.MarkDrained();
                _taken.TrySetResult();
            }
            catch
            {
                handover.MarkFailed();
                _taken.TrySetException(new IOException(ClientDisconnected));
                _ = _taken.Task.Exception; // Observed: the job may have ended already.
                throw;
            }

            await _ended.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            await handover.CloseAsync();
        }
    }
}
