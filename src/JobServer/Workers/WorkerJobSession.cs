using System.Buffers;
using System.Globalization;
using System.Threading.Channels;
using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Workers.Channel;

namespace JobServer.Workers;

/// <summary>
/// The daemon's side of one job in a worker: sends the job, applies what the worker reports to the job's own
/// context (progress, description, log — the manager's throttle and events as for any job), pumps the input pipe
/// to the worker and the worker's output to the output pipe (each within a <see cref="CreditWindow"/>), runs the
/// job's calls through the Dispatcher as its owner, sends the abort, and turns the end — the worker's report, or
/// the worker's death — into the job's outcome. Every task it starts is awaited before <see cref="RunAsync"/> returns.
/// </summary>
internal sealed partial class WorkerJobSession(
    WorkerProcess worker, Job job, IJobContext context, IJobCalls calls, JobLane channel, ILogger logger,
    string? deathError)
{
    private readonly TaskCompletionSource<DoneMessage?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _end = new();
    // Made only for a job with pipes: a no-op process job allocates neither.
    private CreditWindow? _inputWindow;
    private Channel<(byte[] Buffer, int Length)>? _output;
    private readonly List<Task> _calls = [];
    private string? _death;

    public long JobId => job.Id;

    /// <summary>The worker said it leaves after this job (it ran out of memory): it must not get another.</summary>
    public bool WorkerLeaves { get; private set; }

    public async Task<JobOutcome> RunAsync()
    {
        var pipes = job.Request.Pipes;
        // Before the Run frame: the worker's first output may arrive the moment it has the job.
        _inputWindow = pipes?.Input is null ? null : new CreditWindow();
        _output = pipes?.Output is null ? null : System.Threading.Channels.Channel.CreateUnbounded<(byte[], int)>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        try
        {
            await channel.WriteJsonAsync(FrameType.Run, RunMessageOf(job, pipes), WorkerJson.Default.RunMessage);
        }
        catch (IOException)
        {
            // The worker is gone: its read loop reports how (WorkerEnded), and that is the job's end.
        }

        var abortWatch = SendAbortWhenAskedAsync();
        var inputPump = pipes?.Input is { } input ? PumpInputAsync(input, _inputWindow!) : Task.CompletedTask;
        var outputPump = pipes?.Output is { } output ? PumpOutputAsync(output, _output!) : Task.CompletedTask;
        var done = await _done.Task;
        _output?.Writer.TryComplete();
        if (done is null)
        {
            await _end.CancelAsync(); // The worker is gone: nothing more to pass on.
        }

        await outputPump; // Everything the job wrote is in the pipe before the job can succeed.
        await _end.CancelAsync();
        await Task.WhenAll(abortWatch, inputPump);
        Task[] calls;
        lock (_calls)
        {
            calls = [.. _calls];
        }

        await Task.WhenAll(calls);
        _end.Dispose();
        return done is null ? Died() : OutcomeOf(done);
    }

    /// <summary>A frame from the worker about this job (called by the worker's read loop, one at a time).</summary>
    public void Route(in Frame frame)
    {
        switch (frame.Type)
        {
            case FrameType.Progress:
                var progress = FrameChannel.ReadJson(frame, WorkerJson.Default.ProgressMessage);
                context.SetProgress(progress.Percent, progress.Description, progress.Extra);
                break;
            case FrameType.Description:
                context.SetDescription(frame.Text);
                break;
            case FrameType.Log:
                context.Log.Write(frame.Text);
                break;
            case FrameType.OutputData:
                var output = _output ?? throw new InvalidDataException("The worker sent output for a job without an output pipe");
                var copy = ArrayPool<byte>.Shared.Rent(frame.Payload.Length);
                frame.Span.CopyTo(copy);
                if (!output.Writer.TryWrite((copy, frame.Payload.Length)))
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }

                break;
            case FrameType.InputAck:
                _inputWindow?.Give(frame.Count);
                break;
            case FrameType.Call:
                var call = FrameChannel.ReadJson(frame, WorkerJson.Default.CallMessage);
                lock (_calls)
                {
                    _calls.Add(AnswerCallAsync(call));
                }

                break;
            case FrameType.Done:
                var done = FrameChannel.ReadJson(frame, WorkerJson.Default.DoneMessage);
                WorkerLeaves = done.OutOfMemory;
                _done.TrySetResult(done);
                break;
            default:
                throw new InvalidDataException($"The worker sent a {frame.Type} frame, which the daemon does not take");
        }
    }

    /// <summary>The worker died (or was killed) before it reported the job's end.</summary>
    public void WorkerEnded(string how)
    {
        _death = how;
        _done.TrySetResult(null);
    }

    private JobOutcome OutcomeOf(DoneMessage done) => done.State switch
    {
        "SUCCESS" when job.Abort.IsCancellationRequested => JobFailure.Aborted(job.AbortReason ?? "Aborted"),
        "SUCCESS" => new JobOutcome(JobState.Success, Result: done.Result),
        "FAILED" when !job.Abort.IsCancellationRequested => new JobOutcome(JobState.Failed, Error: done.Error,
            Exception: done.Exception, ExcInfo: done.ExcInfo),
        _ => JobFailure.Aborted(done.Error ?? job.AbortReason ?? "Aborted"),
    };

    private JobOutcome Died()
    {
        if (job.Abort.IsCancellationRequested)
        {
            return JobFailure.Aborted(job.AbortReason ?? "Aborted");
        }

        LogWorkerDied(logger, worker.Pid, job.Id, job.Method.Name, _death ?? "");
        if (deathError is not null)
        {
            return JobFailure.Failed(new CallError(deathError));
        }

        var errno = _death?.Contains("out of memory", StringComparison.OrdinalIgnoreCase) == true ? Errno.ENOMEM : Errno.EFAULT;
        return JobFailure.Failed(new CallError(string.Create(CultureInfo.InvariantCulture,
            $"The worker process (pid {worker.Pid}) ended while running the job: {_death}"), errno));
    }

    private async Task SendAbortWhenAskedAsync()
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(job.Abort.Token, _end.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException) when (either.IsCancellationRequested)
        {
            if (job.Abort.IsCancellationRequested && !_end.IsCancellationRequested)
            {
                await SendQuietlyAsync(FrameType.Abort, ReadOnlyMemory<byte>.Empty);
            }
        }
    }

    /// <summary>The upload into the worker, never more than the window ahead of what the job has read.</summary>
    private async Task PumpInputAsync(Stream input, CreditWindow window)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FrameChannel.DataChunk);
        try
        {
            while (true)
            {
                await window.TakeAsync(_end.Token);
                var read = await input.ReadAsync(buffer.AsMemory(0, FrameChannel.DataChunk), _end.Token);
                if (read == 0)
                {
                    await channel.WriteAsync(FrameType.InputEnd, ReadOnlyMemory<byte>.Empty, _end.Token);
                    return;
                }

                await channel.WriteAsync(FrameType.InputData, buffer.AsMemory(0, read), _end.Token);
            }
        }
        catch (OperationCanceledException) when (_end.IsCancellationRequested)
        {
            // The job ended (or its worker did) before it read all of its input.
        }
        catch (IOException e)
        {
            // The upload broke (or the worker's channel did): the job's next read fails with the reason.
            await SendQuietlyAsync(FrameType.InputEnd, System.Text.Encoding.UTF8.GetBytes(e.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The worker's output into the job's output pipe; each frame passed on gives the worker credit.</summary>
    private async Task PumpOutputAsync(Stream output, Channel<(byte[] Buffer, int Length)> chunks)
    {
        string? broken = null;
        // Not the end of the session: on a normal end the pump drains first. Only an abort or the worker's death stops a write.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(job.Abort.Token, _end.Token);
        await foreach (var (buffer, length) in chunks.Reader.ReadAllAsync())
        {
            try
            {
                if (broken is null && !_end.IsCancellationRequested)
                {
                    await output.WriteAsync(buffer.AsMemory(0, length), stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                broken = e.Message;
                await SendQuietlyAsync(FrameType.OutputBroken, System.Text.Encoding.UTF8.GetBytes(broken));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await SendQuietlyAsync(FrameType.OutputAck, FrameChannel.Count(1));
        }
    }

    /// <summary>One call of the job's: through the Dispatcher as the job's owner; the answer goes back to the worker.</summary>
    private async Task AnswerCallAsync(CallMessage call)
    {
        await Task.Yield(); // Off the worker's read loop: a call may wait for a job.
        CallResultMessage answer;
        try
        {
            var result = await calls.CallAsync(job.Request.Caller, call.Method, call.Parameters, _end.Token);
            answer = new CallResultMessage(call.Id, result, null);
        }
        catch (OperationCanceledException) when (_end.IsCancellationRequested)
        {
            return; // The job ended: nobody waits for the answer.
        }
#pragma warning disable CA1031 // Every failure of the call is its answer, as it would be for a client.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var error = ErrorMapper.FromException(e);
            answer = new CallResultMessage(call.Id, null, new WireError(error.Errno, error.Type, error.Reason, error.Extra));
        }

        try
        {
            await channel.WriteJsonAsync(FrameType.CallResult, answer, WorkerJson.Default.CallResultMessage);
        }
        catch (IOException)
        {
            // The worker is gone; its death ends the job.
        }
    }

    private async Task SendQuietlyAsync(FrameType type, ReadOnlyMemory<byte> payload)
    {
        try
        {
            await channel.WriteAsync(type, payload);
        }
        catch (IOException)
        {
            // The worker is gone; its death ends the job.
        }
    }

    private static RunMessage RunMessageOf(Job job, IJobPipes? pipes)
    {
        var type = job.Method.Service.Type;
        var caller = job.Request.Caller;
        return new RunMessage(
            job.Id,
            type.Assembly == typeof(WorkerJobSession).Assembly ? null : type.Assembly.Location,
            type.FullName!,
            job.Method.Name,
            job.Request.RawArguments.ValueKind == System.Text.Json.JsonValueKind.Undefined ? null : job.Request.RawArguments,
            new RunCaller(caller.SessionId, caller.Username, [.. caller.Roles], caller.CredentialType),
            HasInput: pipes?.Input is not null,
            HasOutput: pipes?.Output is not null,
            Logs: job.Request.Job.Logs);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Worker {Pid} ended while running job {JobId} ({Method}): {How}; the job FAILED, the next gets a fresh worker")]
    private static partial void LogWorkerDied(ILogger logger, int pid, long jobId, string method, string how);
}
