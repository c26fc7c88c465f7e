using System.Globalization;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Jobs;

/// <summary>
/// The scheduler of one daemon: a <see cref="JobQueue{T}"/> (FIFO per lock, overtaking, the global cap) and the
/// per-user quota behind one gate. Jobs that may start are handed to the starter after the gate is left.
/// </summary>
internal sealed class InMemoryJobScheduler(IOptions<JobsOptions> options) : IJobScheduler
{
    private readonly Lock _gate = new();
    private readonly JobQueue<Job> _queue = new(options.Value.MaxRunning);
    private readonly UserJobQuota _quota = new();
    private IJobStarter? _starter;

    /// <summary>
    /// Jobs created but not yet queued (their creation is still being committed). While there are any, a new job
    /// may not start at once: it could overtake one of them on its lock.
    /// </summary>
    private int _creationsCommitting;

    public void Attach(IJobStarter starter) => _starter = starter;

    public Job? Admit(in JobAdmission admission)
    {
        lock (_gate)
        {
            if (admission.LockName is { } lockName && admission.Method.Job!.LockQueueSize is > 0 and var size &&
                _queue.IsLockQueueFull(lockName, size))
            {
                // A full lock queue takes only the very same call again (it joins that job); anything else is
                // refused, never silently merged into other work.
                var raw = admission.RawArguments;
                var method = admission.Method;
                var owner = admission.Owner;
                return (admission.MayJoin
                           ? _queue.FindWaitingToJoin(lockName, size,
                               waiting => CallFolding.IsSameCall(waiting.Request, method, raw, owner))
                           : null)
                       ?? throw LockQueueFull(lockName, size);
            }

            if (admission.QuotaLimit > 0 && _quota.UnfinishedOf(admission.Owner) >= admission.QuotaLimit)
            {
                throw QuotaExceeded(admission.Owner, admission.QuotaLimit);
            }

            _quota.Add(admission.Owner);
            return null;
        }
    }

    public void CancelAdmission(string? owner)
    {
        lock (_gate)
        {
            _quota.Remove(owner);
        }
    }

    public bool Create(Job job)
    {
        lock (_gate)
        {
            var startsAtOnce = _creationsCommitting == 0 && _queue.TryStartAtOnce(job);
            if (!startsAtOnce)
            {
                _creationsCommitting++;
            }

            return startsAtOnce;
        }
    }

    public void Enqueue(Job job)
    {
        IReadOnlyList<Job> toStart;
        lock (_gate)
        {
            _creationsCommitting--;
            toStart = _queue.Enqueue(job);
        }

        Start(toStart);
    }

    public void Withdraw(Job job)
    {
        lock (_gate)
        {
            _creationsCommitting--;
            _quota.Remove(job.Request.Caller.Username);
        }
    }

    public void Restore(Job job)
    {
        IReadOnlyList<Job> toStart;
        lock (_gate)
        {
            _quota.Add(job.Request.Caller.Username); // Counted, never refused: it was admitted before the restart.
            toStart = _queue.Enqueue(job);
        }

        Start(toStart);
    }

    public bool IsWaiting(Job job)
    {
        lock (_gate)
        {
            return _queue.IsWaiting(job);
        }
    }

    public void Release(Job job)
    {
        IReadOnlyList<Job> toStart;
        lock (_gate)
        {
            toStart = _queue.IsWaiting(job) ? _queue.RemoveWaiting(job) : _queue.Finish(job);
            _quota.Remove(job.Request.Caller.Username);
        }

        Start(toStart);
    }

    private void Start(IReadOnlyList<Job> jobs)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        var starter = _starter ?? throw new InvalidOperationException("No job starter is attached");
        foreach (var job in jobs)
        {
            starter.StartJob(job);
        }
    }

    private static CallError LockQueueFull(string lockName, int size) => new(
        string.Create(CultureInfo.InvariantCulture,
            $"Lock queue full: {size} jobs already wait on the lock '{lockName}'; try again once one has started"),
        Errno.EBUSY);

    private static CallError QuotaExceeded(string? owner, int limit) => new(
        string.Create(CultureInfo.InvariantCulture,
            $"Too many unfinished jobs: {owner} has {limit} waiting or running (JobServer:Jobs:MaxUnfinishedJobsPerUser)"),
        Errno.EBUSY);
}
