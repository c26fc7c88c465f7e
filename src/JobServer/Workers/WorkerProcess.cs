using System.Diagnostics;
using System.Globalization;
using System.Text;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Workers.Channel;

namespace JobServer.Workers;

/// <summary>
/// One worker process as the daemon sees it: started with its channel on the process's standard input and output
/// (pipes only the daemon holds), read by one loop that hands each frame to the job it names
/// (<see cref="WorkerJobSession"/>), its stderr logged as the worker's. A pooled worker runs one job at a time, a
/// Spark context's several. When it dies — a crash, a kill, <c>FailFast</c>, a stack overflow — the loop sees its
/// channel end, waits for its exit code and fails only the jobs it was running.
/// </summary>
internal sealed partial class WorkerProcess : IAsyncDisposable
{
    /// <summary>Lines of stderr logged per job at most: a stack overflow prints thousands.</summary>
    private const int MaxLoggedLines = 40;

    private readonly Process _process;
    private readonly FrameChannel _channel;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderrTail = new();
    private readonly Task _readLoop;
    private readonly Task _stderrLoop;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, WorkerJobSession> _sessions = new();
    private int _linesLogged;
    private int _jobsRun;
    private int _tailLines;
    private int _unusable; // 1 once killed or leaving: it takes no other job

    private WorkerProcess(Process process, DateTimeOffset startedAt, ILogger logger)
    {
        _process = process;
        _logger = logger;
        Pid = process.Id;
        StartedAt = startedAt;
        _channel = new FrameChannel(process.StandardOutput.BaseStream, process.StandardInput.BaseStream);
        _readLoop = Task.Run(ReadLoopAsync);
        _stderrLoop = Task.Run(StderrLoopAsync);
    }

    public int Pid { get; }

    public DateTimeOffset StartedAt { get; }

    public int JobsRun => Volatile.Read(ref _jobsRun);

    /// <summary>The job running here, if it runs exactly one (a pooled worker).</summary>
    public long? JobId => _sessions.Count == 1 ? _sessions.Keys.FirstOrDefault() : null;

    /// <summary>How many jobs run here now.</summary>
    public int RunningJobs => _sessions.Count;

    /// <summary>Alive and never killed: may take another job.</summary>
    public bool IsUsable => !_ended.Task.IsCompleted && Volatile.Read(ref _unusable) == 0;

    /// <summary>Completes with how the process ended.</summary>
    public Task<string> Ended => _ended.Task;

    /// <summary>Starts a worker and waits for it to say it is ready.</summary>
    /// <exception cref="IOException">The worker could not be started or did not become ready in time.</exception>
    public static async Task<WorkerProcess> StartAsync(ProcessStartInfo start, TimeSpan timeout, TimeProvider time,
        ILogger logger, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException("Process.Start returned no process");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"The worker process could not be started ({start.FileName}): {e.Message}", e);
        }

        var worker = new WorkerProcess(process, time.GetUtcNow(), logger);
        try
        {
            await worker._ready.Task.WaitAsync(timeout, time, cancellationToken);
            return worker;
        }
        catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException)
        {
            worker.Kill();
            await worker.DisposeAsync();
            if (e is OperationCanceledException)
            {
                throw;
            }

            var how = worker._ended.Task.IsCompleted ? worker._ended.Task.Result : "it did not report ready in time";
            throw new IOException($"A worker process did not start: {how}", e);
        }
    }

    /// <summary>Runs one job here to its outcome, beside any others running here.</summary>
    /// <param name="deathError">The job's error if the process dies under it; null: the pooled worker's own.</param>
    public async Task<JobOutcome> RunAsync(Job job, IJobContext context, IJobCalls calls, string? deathError = null)
    {
        var session = new WorkerJobSession(this, job, context, calls, _channel.Lane(job.Id), _logger, deathError);
        lock (_stderrTail)
        {
            if (_sessions.IsEmpty)
            {
                _stderrTail.Clear();
                _tailLines = 0;
                _linesLogged = 0;
            }
        }

        if (!_sessions.TryAdd(job.Id, session))
        {
            throw new InvalidOperationException($"Job {job.Id} runs in worker {Pid} already");
        }

        try
        {
            if (_ended.Task.IsCompleted)
            {
                session.WorkerEnded(_ended.Task.Result);
            }

            return await session.RunAsync();
        }
        finally
        {
            if (session.WorkerLeaves)
            {
                Interlocked.Exchange(ref _unusable, 1); // It exits on its own right after its report.
            }

            _sessions.TryRemove(job.Id, out _);
            Interlocked.Increment(ref _jobsRun);
        }
    }

    /// <summary>Kills the worker with its whole process tree (a job that ignored its abort, a stop).</summary>
    public void Kill()
    {
        Interlocked.Exchange(ref _unusable, 1);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>Where the process is now: CPU used and resident memory (for <c>core.get_workers</c> and the benchmark).</summary>
    public (double CpuSeconds, long ResidentBytes) Usage()
    {
        try
        {
            _process.Refresh();
            return (_process.TotalProcessorTime.TotalSeconds, _process.WorkingSet64);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return (0, 0);
        }
    }

    /// <summary>Retires the worker: closes its channel (it exits on its own), kills it if it lingers, awaits its loops.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Its end of the pipe is gone already.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            Kill();
        }

        await _readLoop;
        await _stderrLoop;
        await _channel.DisposeAsync();
        _process.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        string? problem = null;
        try
        {
            while (await _channel.ReadAsync() is { } frame)
            {
                using (frame)
                {
                    if (frame.Type == FrameType.Ready)
                    {
                        _ready.TrySetResult();
                    }
                    else if (_sessions.TryGetValue(frame.JobId, out var session))
                    {
                        session.Route(frame);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or ObjectDisposedException)
        {
            problem = e.Message;
            LogChannelBroken(_logger, Pid, e.Message);
            Kill(); // A worker that speaks nonsense is not trusted with another frame.
        }

        var how = await HowItEndedAsync(problem);
        _ready.TrySetException(new IOException(how));
        _ended.TrySetResult(how);
        foreach (var session in _sessions.Values)
        {
            session.WorkerEnded(how);
        }
    }

    /// <summary>"it was killed by signal 6 (SIGABRT …); it printed: Stack overflow." — once the process has exited.</summary>
    private async Task<string> HowItEndedAsync(string? problem)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        try
        {
            await _stderrLoop.WaitAsync(TimeSpan.FromSeconds(2)); // The last lines say what happened.
        }
        catch (TimeoutException)
        {
            // A grandchild holds stderr open: describe the end with what was read.
        }
        var how = WorkerExit.Describe(_process.ExitCode);
        if (problem is not null && Volatile.Read(ref _unusable) == 0)
        {
            how += $" (its channel broke: {problem})";
        }

        lock (_stderrTail)
        {
            return _stderrTail.Length == 0 ? how : $"{how}; it printed: {_stderrTail.ToString().TrimEnd()}";
        }
    }

    private async Task StderrLoopAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                OnStderrLine(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone.
        }
    }

    private void OnStderrLine(string line)
    {
        var jobId = JobId;
        bool log;
        lock (_stderrTail)
        {
            // The first lines say what happened ("Stack overflow.", "Process terminated. <reason>"); keep three.
            if (_tailLines < 3 && line.Trim().Length > 0 && !line.TrimStart().StartsWith("at ", StringComparison.Ordinal))
            {
                _stderrTail.Append(line.Length > 200 ? line[..200] + "…" : line.Trim()).Append(' ');
                _tailLines++;
            }

            log = _linesLogged++ < MaxLoggedLines;
        }

        if (log)
        {
            LogStderr(_logger, Pid, jobId?.ToString(CultureInfo.InvariantCulture) ?? "-", line);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Pid} (job {JobId}): {Line}")]
    private static partial void LogStderr(ILogger logger, int pid, string jobId, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "The channel of worker {Pid} broke ({Problem}); the worker is killed")]
    private static partial void LogChannelBroken(ILogger logger, int pid, string problem);
}
