using System.Diagnostics.Metrics;
using JobServer.Calls;

namespace JobServer.Jobs;

/// <summary>
/// The job engine's instruments on the daemon's meter (<see cref="DaemonMeter"/>): jobs submitted and finished
/// by method and state, the queue's depth, pickup latency, lock wait, run time, and the writer's batches. The
/// exporter is configuration (<c>JobServer:Metrics</c>); without a listener every call here is a flag check.
/// </summary>
/// <remarks>
/// Kept cheap on the job path: tags are the method's name and the state's wire name (strings that already exist,
/// so no allocation), passed as one or two <see cref="KeyValuePair{TKey,TValue}"/>s (the overloads that take them
/// do not allocate a tag array); times are <see cref="TimeProvider.GetTimestamp"/> differences; queue depth is
/// counted from the manager's active jobs when a scrape asks, not kept up to date on every change.
/// </remarks>
internal sealed class JobMetrics
{
    private readonly TimeProvider _time;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _pickupLatency;
    private readonly Histogram<double> _lockWait;
    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Meter _meter;
    private readonly bool _observed;

    public JobMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _observed = meters is not UnobservedMeterFactory;
        _meter = DaemonMeter.Create(meters);
        _submitted = _meter.CreateCounter<long>("jobserver.jobs.submitted", "{job}", "Jobs created, by method");
        _finished = _meter.CreateCounter<long>("jobserver.jobs.finished", "{job}",
            "Jobs that reached a terminal state, by method and state (SUCCESS, FAILED, ABORTED)");
        _pickupLatency = _meter.SecondsHistogram("jobserver.jobs.pickup_latency",
            "From a job's creation to the start of its body");
        _lockWait = _meter.SecondsHistogram("jobserver.jobs.lock_wait",
            "Pickup latency of jobs that hold a named lock: how long they queued behind it");
        _duration = _meter.SecondsHistogram("jobserver.jobs.duration",
            "From a job's start to its terminal state, by method and state");
        _batchSize = _meter.CreateHistogram("jobserver.job_writer.batch_size", "{change}",
            "Job changes committed in one transaction by the group-commit writer",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _commitDuration = _meter.SecondsHistogram("jobserver.job_writer.commit_duration",
            "Time to commit one batch of job changes, retries included");
    }

    /// <summary>An instance nobody listens to, for engines built without a container (unit tests).</summary>
    public static JobMetrics Unobserved { get; } = new(new UnobservedMeterFactory(), TimeProvider.System);

    /// <summary>Reports the number of waiting and running jobs among <paramref name="active"/> on each collection.</summary>
    public void ObserveQueue(IEnumerable<KeyValuePair<long, Job>> active)
    {
        if (!_observed)
        {
            return; // Nobody would ask, and the callbacks would keep every unit test's jobs alive.
        }

        _meter.CreateObservableGauge("jobserver.jobs.waiting", () => Count(active, JobState.Waiting), "{job}",
            "Jobs waiting to start (for a lock, a slot or the global cap)");
        _meter.CreateObservableGauge("jobserver.jobs.running", () => Count(active, JobState.Running), "{job}",
            "Jobs whose body is running");
    }

    public void Submitted(Job job) => _submitted.Add(1, new KeyValuePair<string, object?>("method", job.Method.Name));

    /// <summary>The job's body starts: records its pickup latency and stamps its start for <see cref="Finished"/>.</summary>
    public void Started(Job job)
    {
        job.RunningSince = _time.GetTimestamp();
        if (!_pickupLatency.Enabled && !_lockWait.Enabled)
        {
            return;
        }

        var waited = (_time.GetUtcNow() - job.TimeStarted).TotalSeconds;
        _pickupLatency.Record(waited);
        if (job.LockName is not null)
        {
            _lockWait.Record(waited);
        }
    }

    public void Finished(Job job, JobState state)
    {
        var method = new KeyValuePair<string, object?>("method", job.Method.Name);
        var stateTag = new KeyValuePair<string, object?>("state", state.WireName());
        _finished.Add(1, method, stateTag);
        if (job.RunningSince != 0)
        {
            _duration.Record(_time.GetElapsedTime(job.RunningSince).TotalSeconds, method, stateTag);
        }
    }

    /// <summary>The writer committed a batch of <paramref name="changes"/> that it began at <paramref name="startedAt"/>.</summary>
    public void Committed(int changes, long startedAt)
    {
        _batchSize.Record(changes);
        _commitDuration.Record(_time.GetElapsedTime(startedAt).TotalSeconds);
    }

    /// <summary>A timestamp for <see cref="Committed"/>.</summary>
    public long Timestamp() => _time.GetTimestamp();

    private static int Count(IEnumerable<KeyValuePair<long, Job>> active, JobState state)
    {
        var count = 0;
        foreach (var (_, job) in active)
        {
            if (job.State == state)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Makes meters owned by no container (and so heard by no exporter of a daemon).</summary>
    private sealed class UnobservedMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
