using System.Collections.Concurrent;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Workers;

namespace JobServer.Spark.Contexts;

/// <summary>
/// One named context: a long-lived worker process (<see cref="WorkerProcess"/>, the pool's kind, started for the
/// context alone) hosting up to <see cref="SparkContextSlots.MaxJobs"/> <c>spark.run</c> jobs at once, each on
/// its own lane of the process's channel. A .NET job's binary version is loaded there once and reused by later
/// jobs of that version (a warm context); Python and Java jobs run their interpreter as a child of the process,
/// so they count against its slots and die with it.
/// </summary>
internal sealed class SparkContext : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, Job> _jobs = new();
    private volatile SparkContextState _state = SparkContextState.Running;
    private Task? _stop;
    private bool _jobsAborted;
    private bool _force;

    public SparkContext(string name, SparkContextSettings settings, WorkerProcess worker, SparkContextSlots slots,
        DateTimeOffset startedAt)
    {
        Name = name;
        Settings = settings;
        Worker = worker;
        Slots = slots;
        StartedAt = startedAt;
    }

    public string Name { get; }

    /// <summary>The context's id: every job's <c>contextId</c> on it (spark's context UUID).</summary>
    public string Id { get; } = Guid.NewGuid().ToString();

    public SparkContextSettings Settings { get; }

    public WorkerProcess Worker { get; }

    public SparkContextSlots Slots { get; }

    public DateTimeOffset StartedAt { get; }

    public SparkContextState State => _state;

    /// <summary>What a job's error says when the process dies under it (spark's own words, JobStatusActor.postStop).</summary>
    public string TerminatedMessage => $"Context ({Name}) for this job was terminated";

    /// <summary>The jobs admitted here and not ended.</summary>
    public IReadOnlyCollection<Job> Jobs => [.. _jobs.Values];

    /// <summary>
    /// A job admitted by the door now exists: its slot is released when it ends, however it ends. The task completes
    /// once it is (a sync answer waits for it, so the caller's next job finds the slot free).
    /// </summary>
    public Task Track(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _jobs[job.Id] = job;
        return ReleaseWhenEndedAsync(job);
    }

    /// <summary>Runs the job's body in the context's process once a run slot is free.</summary>
    public async Task<JobOutcome> RunAsync(Job job, IJobContext context, IJobCalls calls)
    {
        ArgumentNullException.ThrowIfNull(job);
        // Tracked here too: a job the door created a moment before a stop began is still one the stop aborts.
        _jobs.TryAdd(job.Id, job);
        IDisposable slot;
        try
        {
            slot = await Slots.EnterAsync(job.Abort.Token);
        }
        catch (OperationCanceledException) when (job.Abort.IsCancellationRequested)
        {
            return JobFailure.Aborted(job.AbortReason ?? "Aborted");
        }

        using (slot)
        {
            if (_state != SparkContextState.Running)
            {
                return JobFailure.Aborted($"Context {Name} was stopped");
            }

            return await Worker.RunAsync(job, context, calls, TerminatedMessage);
        }
    }

    /// <summary>
    /// Starts the stop once (later calls join it): no job is taken any more, every job here is aborted (they end
    /// KILLED), and once they have ended the process is closed (killed if it lingers). <paramref name="force"/>
    /// (spark's <c>DELETE ?force=true</c>, also on a stop already under way) kills the process as soon as its jobs
    /// were asked to abort, instead of waiting for them: they still end KILLED, an abort having been asked first.
    /// </summary>
    public Task StopAsync(Func<Job, Task> abort, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(abort);
        lock (_jobs)
        {
            _force |= force;
            if (_stop is null)
            {
                _state = SparkContextState.Stopping;
                _stop = StopOnceAsync(abort);
            }
            else if (force && _jobsAborted)
            {
                Worker.Kill();
            }

            return _stop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.DisposeAsync();
        Slots.Dispose();
    }

    private async Task ReleaseWhenEndedAsync(Job job)
    {
        await job.Finished.Task;
        _jobs.TryRemove(job.Id, out _);
        Slots.Release();
    }

    private async Task StopOnceAsync(Func<Job, Task> abort)
    {
        await Task.Yield();
        var jobs = Jobs;
        await Task.WhenAll(jobs.Select(abort));
        lock (_jobs)
        {
            _jobsAborted = true;
            if (_force)
            {
                Worker.Kill();
            }
        }

        // The manager ends every aborted job within its abort grace (one that ignores the abort is abandoned), so this
        // wait is bounded; the process then goes, and with it a body that ignored the abort.
        await Task.WhenAll(jobs.Select(j => j.Finished.Task));
        await DisposeAsync();
    }
}
