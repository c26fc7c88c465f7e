using System.Collections.Concurrent;
using JobServer.Jobs;
using JobServer.Sdk;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>
/// An <see cref="IJobRunner"/> whose bodies the test controls: by default each body waits until the test lets it
/// finish (<see cref="Succeed"/>, <see cref="Crash"/>), so a test sees exactly which jobs run at a time. A runner
/// built with <c>autoSucceed</c> finishes every body at once (a no-op job).
/// </summary>
internal sealed class ControlledJobRunner(bool autoSucceed = false) : IJobRunner
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JobOutcome>> _bodies = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _started = new();
    private readonly ConcurrentQueue<long> _startOrder = new();

    /// <summary>Ids of the jobs whose body started, in the order they started.</summary>
    public IReadOnlyList<long> StartOrder => _startOrder.ToArray();

    /// <summary>When set, how a body behaves instead (it gets the job and its context).</summary>
    public Func<Job, IJobContext, Task<JobOutcome>>? Body { get; set; }

    public ValueTask<JobOutcome> RunAsync(Job job, IJobContext context)
    {
        _startOrder.Enqueue(job.Id);
        StartedSignal(job.Id).TrySetResult();
        if (Body is { } body)
        {
            return new ValueTask<JobOutcome>(body(job, context));
        }

        if (autoSucceed)
        {
            return ValueTask.FromResult(new JobOutcome(JobState.Success));
        }

        return new ValueTask<JobOutcome>(BodyOf(job.Id).Task);
    }

    public Task WaitStartedAsync(long id) => StartedSignal(id).Task.WaitAsync(TimeSpan.FromSeconds(10));

    public bool HasStarted(long id) => StartedSignal(id).Task.IsCompleted;

    public void Succeed(long id) => BodyOf(id).TrySetResult(new JobOutcome(JobState.Success));

    /// <summary>The runner itself breaks (a worker process died): its task fails instead of reporting an outcome.</summary>
    public void Crash(long id) => BodyOf(id).TrySetException(new InvalidOperationException("runner crashed (fake)"));

    private TaskCompletionSource<JobOutcome> BodyOf(long id) =>
        _bodies.GetOrAdd(id, _ => new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource StartedSignal(long id) =>
        _started.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
