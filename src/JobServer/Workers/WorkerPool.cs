using JobServer.Jobs;
using JobServer.Registry;
using Microsoft.Extensions.Options;

namespace JobServer.Workers;

/// <summary>
/// The daemon's worker processes. <see cref="WorkersOptions.PoolSize"/> warm workers wait for process jobs (started
/// with the daemon when any process job method is registered, replaced as they are used up), so a process job
/// starts in milliseconds; more are started on demand, up to <see cref="WorkersOptions.MaxWorkers"/>, and those
/// beyond the pool stop after <see cref="WorkersOptions.IdleTimeoutSeconds"/> idle. A worker runs one job at a time;
/// one that died, was killed, ran out of memory or ran <see cref="WorkersOptions.MaxJobsPerWorker"/> jobs is retired
/// and the next job gets a fresh one. Every start and retirement runs on <see cref="JobTasks"/>.
/// </summary>
internal sealed partial class WorkerPool(
    WorkerLaunch launch,
    IOptions<WorkersOptions> options,
    Lazy<MethodRegistry> registry,
    JobTasks tasks,
    TimeProvider time,
    ILogger<WorkerPool> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(WorkerProcess Worker, DateTimeOffset IdleSince)> _idle = [];
    private readonly HashSet<WorkerProcess> _busy = [];
    private readonly SemaphoreSlim _slots = new(options.Value.MaxWorkers, options.Value.MaxWorkers);
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _idleTimer;
    private int _starting;
    private bool _warm;

    private WorkersOptions Options => options.Value;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Warm workers only where a process job can run: a daemon without one starts no process.
        _warm = Options.PoolSize > 0 && registry.Value.Methods.Any(m => m.Job is { Process: true });
        var sweep = TimeSpan.FromSeconds(Math.Min(Options.IdleTimeoutSeconds, 60));
        _idleTimer = time.CreateTimer(_ => RetireIdle(), null, sweep, sweep);
        TopUp();
        return Task.CompletedTask;
    }

    /// <summary>An idle worker for one job (warm if one is ready, else a new one); wait for a slot at the limit.</summary>
    /// <exception cref="IOException">No worker could be started.</exception>
    public async Task<WorkerProcess> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var worker = TakeIdle() ?? await StartWorkerAsync(cancellationToken);
            lock (_gate)
            {
                _busy.Add(worker);
            }

            TopUp();
            return worker;
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>The job is over: the worker waits for the next one, or is retired.</summary>
    public void Return(WorkerProcess worker)
    {
        bool keep;
        lock (_gate)
        {
            _busy.Remove(worker);
            keep = !_stopping.IsCancellationRequested && worker.IsUsable &&
                   (Options.MaxJobsPerWorker == 0 || worker.JobsRun < Options.MaxJobsPerWorker);
            if (keep)
            {
                _idle.Add((worker, time.GetUtcNow()));
            }
        }

        _slots.Release();
        if (!keep)
        {
            Retire(worker);
            TopUp();
        }
    }

    /// <summary>Every worker now, for <c>core.get_workers</c>.</summary>
    public IReadOnlyList<WorkerInfo> Snapshot()
    {
        List<(WorkerProcess Worker, string State)> all;
        lock (_gate)
        {
            all = [.. _busy.Select(w => (w, "BUSY")), .. _idle.Select(i => (i.Worker, "IDLE"))];
        }

        return all.OrderBy(w => w.Worker.Pid).Select(w =>
        {
            var (cpu, resident) = w.Worker.Usage();
            return new WorkerInfo(w.Worker.Pid, w.State, w.Worker.JobId, w.Worker.JobsRun, w.Worker.StartedAt.UtcDateTime,
                Math.Round(cpu, 3), resident, Options.MemoryLimitMb);
        }).ToArray();
    }

    /// <summary>Stops every worker (the graceful stop has aborted their jobs by now): the idle ones exit, the rest are killed.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        WorkerProcess[] busy;
        WorkerProcess[] idle;
        lock (_gate)
        {
            _stopping.Cancel();
            busy = [.. _busy];
            idle = [.. _idle.Select(i => i.Worker)];
            _idle.Clear();
        }

        _idleTimer?.Dispose();
        foreach (var worker in busy)
        {
            worker.Kill();
        }

        await Task.WhenAll(idle.Select(w => w.DisposeAsync().AsTask()));
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        _slots.Dispose();
        _stopping.Dispose();
    }

    private WorkerProcess? TakeIdle()
    {
        lock (_gate)
        {
            // The most recently used first: its code is hot, and the oldest idle ones are left to time out.
            while (_idle.Count > 0)
            {
                var (worker, _) = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                if (worker.IsUsable)
                {
                    return worker;
                }

                Retire(worker);
            }
        }

        return null;
    }

    private async Task<WorkerProcess> StartWorkerAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var worker = await WorkerProcess.StartAsync(launch.StartInfo(), TimeSpan.FromSeconds(Options.StartTimeoutSeconds),
            time, logger, either.Token);
        LogWorkerStarted(logger, worker.Pid);
        return worker;
    }

    /// <summary>Starts warm workers until <see cref="WorkersOptions.PoolSize"/> are idle or starting (within the limit).</summary>
    private void TopUp()
    {
        if (!_warm)
        {
            return;
        }

        lock (_gate)
        {
            while (!_stopping.IsCancellationRequested && _idle.Count + _starting < Options.PoolSize &&
                   _idle.Count + _starting + _busy.Count < Options.MaxWorkers)
            {
                _starting++;
                if (!tasks.Run(static pool => pool.WarmOneAsync(), this))
                {
                    _starting--;
                    return;
                }
            }
        }
    }

    private async Task WarmOneAsync()
    {
        WorkerProcess worker;
        try
        {
            worker = await StartWorkerAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            lock (_gate)
            {
                _starting--;
            }

            if (!_stopping.IsCancellationRequested)
            {
                LogWarmStartFailed(logger, e.Message);
            }

            return;
        }

        bool keep;
        lock (_gate)
        {
            _starting--;
            keep = !_stopping.IsCancellationRequested;
            if (keep)
            {
                _idle.Add((worker, time.GetUtcNow()));
            }
        }

        if (!keep)
        {
            await worker.DisposeAsync();
        }
    }

    /// <summary>Stops idle workers beyond the pool that waited longer than the idle timeout, oldest first.</summary>
    private void RetireIdle()
    {
        var deadline = time.GetUtcNow() - TimeSpan.FromSeconds(Options.IdleTimeoutSeconds);
        lock (_gate)
        {
            for (var i = 0; i < _idle.Count && (_idle.Count > Options.PoolSize || !_idle[i].Worker.IsUsable);)
            {
                var (worker, idleSince) = _idle[i];
                if (idleSince < deadline || !worker.IsUsable)
                {
                    _idle.RemoveAt(i);
                    Retire(worker);
                }
                else
                {
                    i++;
                }
            }
        }
    }

    private void Retire(WorkerProcess worker)
    {
        LogWorkerRetired(logger, worker.Pid, worker.JobsRun);
        if (!tasks.Run(static w => w.DisposeAsync().AsTask(), worker))
        {
            worker.Kill(); // Stopping: no task may start now, and a worker must not outlive the daemon.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {Pid} started")]
    private static partial void LogWorkerStarted(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {Pid} retired after {JobsRun} job(s)")]
    private static partial void LogWorkerRetired(ILogger logger, int pid, int jobsRun);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A warm worker could not be started: {Reason}")]
    private static partial void LogWarmStartFailed(ILogger logger, string reason);
}

/// <summary>One worker process as <c>core.get_workers</c> shows it.</summary>
internal sealed record WorkerInfo(
    int Pid,
    string State,
    long? JobId,
    int JobsRun,
    DateTime StartedAt,
    double CpuSeconds,
    long ResidentBytes,
    int MemoryLimitMb);
