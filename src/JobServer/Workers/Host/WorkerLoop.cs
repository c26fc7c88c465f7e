using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// The worker's side of its channel: announces itself, then runs the jobs the daemon sends, one at a time, and
/// routes the daemon's frames (abort, input, output credit, call answers) to the running job. When the daemon
/// goes away (the channel ends) the worker ends too, whatever its job is doing: a worker never outlives its daemon.
/// </summary>
internal sealed class WorkerLoop(FrameChannel channel, ServiceLoader services)
{
    /// <summary>The exit code of a worker that ran out of memory and left so the next job gets a fresh heap.</summary>
    public const int OutOfMemoryExitCode = 3;

    /// <summary>The exit code of a worker whose channel broke while it reported a job's end.</summary>
    public const int ChannelBrokenExitCode = 4;

    private WorkerJob? _current;

    /// <summary>The running job's task: it ends the process itself when it must (see <see cref="RunJobAsync"/>).</summary>
    private Task _running = Task.CompletedTask;

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
        return _running.IsFaulted ? 1 : 0;
    }

    private void Route(in Frame frame)
    {
        var job = _current;
        switch (frame.Type)
        {
            case FrameType.Run when job is null:
                var run = FrameChannel.ReadJson(frame, WorkerJson.Default.RunMessage);
                _current = new WorkerJob(run, channel);
                _running = RunJobAsync(_current);
                break;
            case FrameType.Run:
                throw new InvalidDataException("The daemon sent a second job while one was running");
            case FrameType.Abort:
                job?.Abort();
                break;
            case FrameType.InputData:
                job?.Input?.Deliver(frame);
                break;
            case FrameType.InputEnd:
                job?.Input?.End(frame.Text);
                break;
            case FrameType.OutputAck:
                job?.Output?.Acknowledge(frame.Count);
                break;
            case FrameType.OutputBroken:
                job?.Output?.Break(frame.Text);
                break;
            case FrameType.CallResult:
                job?.Calls.Complete(FrameChannel.ReadJson(frame, WorkerJson.Default.CallResultMessage));
                break;
            default:
                throw new InvalidDataException($"The daemon sent a {frame.Type} frame, which a worker does not take");
        }
    }

    /// <summary>
    /// Runs the job and reports its end. The worker leaves right after a job that ran out of memory (its heap may
    /// be full of what the job left behind: the next job gets a fresh worker), and when the report cannot be sent.
    /// </summary>
    private async Task RunJobAsync(WorkerJob job)
    {
        await Task.Yield(); // Off the read loop: the loop must keep routing frames to the running job.
        var done = await job.RunAsync(services);
        _current = null; // Before Done: the daemon's next Run may follow it at once.
        job.Dispose();
        try
        {
            await channel.WriteJsonAsync(FrameType.Done, done, WorkerJson.Default.DoneMessage);
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
