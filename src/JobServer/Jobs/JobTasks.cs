namespace JobServer.Jobs;

/// <summary>
/// Owns every background task of the job engine (a job's start, body and finish; the finish of a job that ignored
/// its abort) and awaits them when the daemon stops: nothing in <c>Jobs/</c> is fire-and-forget. Work runs on the
/// thread pool, never on the thread that asked for it (often the store's writer after a commit).
/// </summary>
/// <remarks>
/// Tracking is a counter, not a set of tasks: a no-op job costs one interlocked increment and decrement, no
/// allocation beyond its work item. The count starts at one, the "still running" reference that
/// <see cref="StopAsync"/> releases; once it reaches zero everything started has ended. Work asked for after the
/// stop began is not started (a job the scheduler hands on then stays WAITING for the next start).
/// </remarks>
internal sealed partial class JobTasks(ILogger<JobTasks> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = 1;

    /// <summary>
    /// Cancelled when the daemon stops: a job task stops waiting for an in-process body that is still running
    /// (it cannot be forced to stop; the next start records it as interrupted, as after a crash).
    /// </summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Runs <paramref name="work"/> on the thread pool as a tracked task; false once stopping.</summary>
    public bool Run<TState>(Func<TState, Task> work, TState state)
    {
        if (!TryEnter())
        {
            LogRefusedWhileStopping(logger);
            return false;
        }

        ThreadPool.UnsafeQueueUserWorkItem(new WorkItem<TState>(this, work, state), preferLocal: false);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops starting work, releases waits on running bodies, and awaits every tracked task.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        Exit();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogNotDrained(logger, Volatile.Read(ref _count));
        }
    }

    public void Dispose() => _stopping.Dispose();

    private bool TryEnter()
    {
        var count = Volatile.Read(ref _count);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
            {
                return true;
            }

            count = seen;
        }

        return false;
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Counts a tracked task out once it ended, logging how it failed.</summary>
    private void Ended(Task task)
    {
        if (task.Exception is { } failure)
        {
            LogTaskFailed(logger, failure.GetBaseException());
        }

        Exit();
    }

    /// <summary>
    /// One tracked task: started on the pool thread, awaited by a continuation only when it did not complete at
    /// once (a no-op job completes at once: no continuation, no async state machine).
    /// </summary>
    private sealed class WorkItem<TState>(JobTasks owner, Func<TState, Task> work, TState state) : IThreadPoolWorkItem
    {
        private Task? _task;

        public void Execute()
        {
            try
            {
                _task = work(state);
            }
#pragma warning disable CA1031 // A failed job task is logged; it must not take the daemon (or the count) with it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _task = Task.FromException(e);
            }

            if (_task.IsCompleted)
            {
                owner.Ended(_task);
                return;
            }

            _task.GetAwaiter().UnsafeOnCompleted(OnCompleted);
        }

        private void OnCompleted() => owner.Ended(_task!);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A job task failed")]
    private static partial void LogTaskFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The daemon is stopping: a job task was not started")]
    private static partial void LogRefusedWhileStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} job task(s) still running when the stop timed out")]
    private static partial void LogNotDrained(ILogger logger, int count);
}
