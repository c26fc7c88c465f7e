using System.Collections.Concurrent;
using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// The worker's side of its channel: announces itself, then runs the jobs the daemon sends and routes the daemon's
/// frames (abort, input, output credit, call answers) to the job each names. A pooled worker gets one job at a
/// time; a Spark context's worker gets several at once (the daemon keeps the count within the context's slots).
/// When the daemon goes away (the channel ends) the worker ends too, whatever its jobs are doing: a worker never
/// outlives its daemon.
/// </summary>
internal sealed class WorkerLoop(FrameChannel channel, ServiceLoader services)
{
    /// <summary>The exit code of a worker that ran out of memory and left so the next job gets a fresh heap.</summary>
    public const int OutOfMemoryExitCode = 3;

    /// <summary>The exit code of a worker whose channel broke while it reported a job's end.</summary>
    public const int ChannelBrokenExitCode = 4;

    private readonly ConcurrentDictionary<long, WorkerJob> _jobs = new();
    private int _faulted;

    public async Task<int> RunAsync()
    {
        await channel.WriteJsonAsync(FrameType.Ready, new ReadyMessage(Environment.ProcessId), WorkerJson.Default.ReadyMessage);
        while (await channel.ReadAsync() is { } frame)
        {
            using (frame)
            {
                Route(frame);
            }
        }

        // The daemon closed the channel: it is stopping, retiring this worker, or gone. A job still running ends
        // with the process.
        return Volatile.Read(ref _faulted) == 0 ? 0 : 1;
    }

    private void Route(in Frame frame)
    {
        if (frame.Type == FrameType.Run)
        {
            var run = FrameChannel.ReadJson(frame, WorkerJson.Default.RunMessage);
            var job = new WorkerJob(run, channel.Lane(run.JobId));
            if (run.JobId != frame.JobId || !_jobs.TryAdd(run.JobId, job))
            {
                job.Dispose();
                throw new InvalidDataException($"The daemon sent job {run.JobId} twice, or on another job's lane");
            }

            // A job whose report itself broke (not a job that failed: that is its outcome) makes the exit code 1.
            _ = RunJobAsync(job, run.JobId).ContinueWith(static (_, loop) => Interlocked.Exchange(ref ((WorkerLoop)loop!)._faulted, 1),
                this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return;
        }

        // A frame for a job that has just ended (an abort racing its end, a late credit) finds no job: dropped.
        _jobs.TryGetValue(frame.JobId, out var target);
        switch (frame.Type)
        {
            case FrameType.Abort:
                target?.Abort();
                break;
            case FrameType.InputData:
                target?.Input?.Deliver(frame);
                break;
            case FrameType.InputEnd:
                target?.Input?.End(frame.Text);
                break;
            case FrameType.OutputAck:
                target?.Output?.Acknowledge(frame.Count);
                break;
            case FrameType.OutputBroken:
                target?.Output?.Break(frame.Text);
                break;
            case FrameType.CallResult:
                target?.Calls.Complete(FrameChannel.ReadJson(frame, WorkerJson.Default.CallResultMessage));
                break;
            default:
                throw new InvalidDataException($"The daemon sent a {frame.Type} frame, which a worker does not take");
        }
    }

    /// <summary>
    /// Runs the job and reports its end. The worker leaves right after a job that ran out of memory (its heap may
    /// be full of what the job left behind: the next job gets a fresh worker), and when the report cannot be sent.
    /// </summary>
    private async Task RunJobAsync(WorkerJob job, long jobId)
    {
        await Task.Yield(); // Off the read loop: the loop must keep routing frames to the running jobs.
        var done = await job.RunAsync(services);
        _jobs.TryRemove(jobId, out _); // Before Done: the daemon's next Run may follow it at once.
        job.Dispose();

        try
        {
            await channel.Lane(jobId).WriteJsonAsync(FrameType.Done, done, WorkerJson.Default.DoneMessage);
        }
        catch (IOException)
        {
            Environment.Exit(ChannelBrokenExitCode);
        }

        if (done.OutOfMemory)
        {
            Environment.Exit(OutOfMemoryExitCode);
        }
    }
}
