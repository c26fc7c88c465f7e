using JobServer.Lifecycle;

namespace JobServer.Jobs;

internal sealed partial class JobManager
{
    /// <summary>The error of a job still running when the stop's grace ran out.</summary>
    public const string ShutdownAbortReason = "Daemon shutting down";

    /// <summary>Orders <see cref="BeginStop"/> against <see cref="TryStartUnlessStopping"/>.</summary>
    private readonly Lock _stopGate = new();

    /// <summary>Set once by <see cref="BeginStop"/> (under the stop gate): no job is created or started after it.</summary>
    private volatile bool _stopping;

    /// <summary>
    /// From now on new jobs are refused with ESHUTDOWN and waiting jobs stay WAITING (stored so, they run after
    /// the next start); running jobs go on.
    /// </summary>
    public void BeginStop()
    {
        lock (_stopGate)
        {
            _stopping = true;
        }
    }

    /// <summary>
    /// The graceful stop of the engine: lets running jobs finish for <paramref name="grace"/>, then aborts the
    /// rest with <see cref="ShutdownAbortReason"/> — except resumable jobs, which are neither waited for nor aborted
    /// but left stored RUNNING, to run again after the next start (a job that ignores its cancellation is abandoned after
    /// <c>AbortGraceSeconds</c>, as any abort), and returns once every one of them is finished, its final state
    /// committed, and the writer has drained what was queued before.
    /// </summary>
    /// <param name="cancellationToken">The host's shutdown timeout; the stop then gives up waiting.</param>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        BeginStop();
        var started = _time.GetTimestamp();
        var finished = await WaitForRunningAsync(grace, cancellationToken);
        var aborted = 0;
        // Again until none is left: a job created just before the stop may turn RUNNING only now.
        for (var running = Unfinished(); running.Count > 0; running = Unfinished())
        {
            foreach (var job in running)
            {
                job.RequestAbort(ShutdownAbortReason);
                StartGraceTimer(job);
            }

            aborted += running.Count;
            await Task.WhenAll(running.Select(j => j.Finished.Task)).WaitAsync(cancellationToken);
        }

        await DrainWriterAsync();
        var waiting = _active.Values.Count(j => j.State == JobState.Waiting);
        LogStopped(_logger, finished, aborted, waiting, _time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Waits until no job runs or the grace has passed; returns how many finished meanwhile.</summary>
    private async Task<int> WaitForRunningAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(grace, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var finished = 0;
        for (var running = Unfinished(); running.Count > 0; running = Unfinished())
        {
            LogWaitingForJobs(_logger, running.Count, grace.TotalSeconds);
            try
            {
                await Task.WhenAll(running.Select(j => j.Finished.Task)).WaitAsync(either.Token);
                finished += running.Count;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return finished + running.Count(j => j.Finished.Task.IsCompleted);
            }
        }

        return finished;
    }

    /// <summary>The jobs that started and have not finished (their final state may still be committing).</summary>
    private List<Job> Unfinished() =>
        _active.Values.Where(j => !j.Finished.Task.IsCompleted && j.State != JobState.Waiting &&
                                  !j.Request.Job.Resumable).ToList(); // Left RUNNING: they run again after the start.

    /// <summary>
    /// Moves a job to RUNNING unless the stop began: the check and the start under the gate, so that once
    /// <see cref="BeginStop"/> returned no waiting job can start (it stays WAITING for the next start).
    /// </summary>
    private bool TryStartUnlessStopping(Job job, string? logsPath)
    {
        lock (_stopGate)
        {
            return !_stopping && job.TryStart(logsPath);
        }
    }

    /// <summary>Refuses a new job once the stop began.</summary>
    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw StopSignal.Refusal();
        }
    }

    /// <summary>Returns once every change queued before is committed and published.</summary>
    private Task DrainWriterAsync() => _store.FlushAsync();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stopping: waiting up to {GraceSeconds} s for {Running} running job(s) to finish")]
    private static partial void LogWaitingForJobs(ILogger logger, int running, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Jobs stopped: {Finished} finished within the grace, {Aborted} aborted, {Waiting} left waiting for the next start ({Seconds:0.0} s)")]
    private static partial void LogStopped(ILogger logger, int finished, int aborted, int waiting, double seconds);
}
