using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.Hosting;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace JobServer.Jobs;

/// <summary>
/// The only component that changes jobs. A change is snapshotted, committed through the
/// <see cref="JobWriter"/>, and only then published on <c>core.get_jobs</c>; callers learn a job id only once
/// the job is durable. Scheduling decisions are made by a <see cref="JobQueue{T}"/> under one lock.
/// </summary>
internal sealed partial class JobManager(
    JobWriter writer,
    IDbContextFactory<JobStoreDbContext> reads,
    EventHub events,
    TimeProvider time,
    IOptions<JobsOptions> options,
    IOptions<JobServerOptions> serverOptions,
    ILogger<JobManager> logger)
{
    public const string Collection = "core.get_jobs";

    private readonly Lock _gate = new();
    private readonly JobQueue<Job> _queue = new(options.Value.MaxRunning);
    private readonly ConcurrentDictionary<long, Job> _active = new();
    private readonly UserJobQuota _quota = new();
    private long _lastId;

    /// <summary>
    /// Jobs created but not yet queued (their creation is still being committed). While there are any, a new job
    /// may not start at once: it could overtake one of them on its lock.
    /// </summary>
    private int _creationsCommitting;

    /// <summary>
    /// Creates a job for a validated call. When <c>LockQueueSize</c> jobs already wait on its lock, the call joins
    /// the newest of them that is the same call (see <see cref="CallFolding"/>; its message id is added to that
    /// job), or is refused with EBUSY.
    /// </summary>
    public async Task<Job> SubmitAsync(
        MethodDescriptor method, object?[] arguments, JsonElement rawArguments, ICallContext caller,
        JsonNode? messageId, IJobPipes? pipes = null)
    {
        var attribute = method.Job!;
        CheckPipes(method, pipes);
        var lockName = LockTemplate.Resolve(attribute.Lock, rawArguments, ArgumentBinder.AttributePrefix(method));
        var jobCaller = JobCaller.From(caller);
        Job job;
        var joined = false;
        var startsAtOnce = false;
        lock (_gate)
        {
            ThrowIfStopping();
            if (lockName is not null && attribute.LockQueueSize > 0 &&
                _queue.IsLockQueueFull(lockName, attribute.LockQueueSize))
            {
                // A full lock queue takes only the very same call again (it joins that job); anything else is
                // refused, never silently merged into other work. A call with pipes is never folded: its upload or
                // download belongs to a job of its own.
                job = (pipes is null
                          ? _queue.FindWaitingToJoin(lockName, attribute.LockQueueSize,
                              waiting => CallFolding.IsSameCall(waiting.Request, method, rawArguments, jobCaller.Username))
                          : null)
                      ?? throw LockQueueFull(lockName, attribute.LockQueueSize);
                joined = true;
            }
            else
            {
                CheckQuota(caller, jobCaller.Username);
                var request = new JobRequest(method, arguments, rawArguments.Clone(),
                    ArgumentRedactor.Redact(method, rawArguments), lockName,
                    DescribeCall(attribute.Description, rawArguments), jobCaller, messageId, pipes);
                job = new Job(++_lastId, request, time.GetUtcNow());
                _active[job.Id] = job;
                _quota.Add(jobCaller.Username);
                startsAtOnce = _creationsCommitting == 0 && _queue.TryStartAtOnce(job);
                if (!startsAtOnce)
                {
                    _creationsCommitting++;
                }
            }
        }

        if (joined)
        {
            // Folded into a waiting job: record this call too and tell subscribers (reference §2.6).
            job.AddMessageId(messageId);
            await PublishChangeAsync(job, EventKind.Changed);
            return job;
        }

        if (startsAtOnce)
        {
            await CreateRunningAsync(job);
            return job;
        }

        // Queued to run right after its creation committed and was published, by the writer: one thread hop
        // less between a call and its job's start than queuing it here once the commit is awaited.
        try
        {
            await PublishChangeAsync(job, EventKind.Added, afterPublish: () =>
            {
                IReadOnlyList<Job> toStart;
                lock (_gate)
                {
                    _creationsCommitting--;
                    toStart = _queue.Enqueue(job);
                }

                StartAll(toStart);
            });
        }
        catch
        {
            lock (_gate)
            {
                _creationsCommitting--;
                Forget(job); // Never queued, and nobody learned its id.
            }

            throw;
        }

        return job;
    }

    /// <summary>
    /// A job that starts as it is created (nothing to wait for): WAITING and RUNNING are one commit, both events
    /// are published after it, and the body starts only then — one fsync between a call and its job's start
    /// instead of two, and the caller still learns the id only once the job is durable.
    /// </summary>
    private async Task CreateRunningAsync(Job job)
    {
        var log = OpenLog(job);
        try
        {
            if (job.Request.Job.Transient)
            {
                job.TryStart(log?.Path);
                StartBody(job, log);
                return;
            }

            Task committed;
            lock (job.PublishGate)
            {
                var added = JobDocument.ToEvent(Collection, EventKind.Added, job.Snapshot());
                job.TryStart(log?.Path);
                var running = job.Snapshot();
                var started = JobDocument.ToEvent(Collection, EventKind.Changed, running);
                committed = writer.SaveAsync(running, () =>
                {
                    events.Publish(added);
                    events.Publish(started);
                    StartBody(job, log);
                });
            }

            await committed;
        }
        catch
        {
            // The creation could not be committed: nobody learned the job's id; free the slot and lock it took.
            log?.Dispose();
            Release(job);
            throw;
        }
    }

    /// <summary>
    /// A job must get the pipes it declares (unless it checks them itself), and only those: a download of a job
    /// that writes nothing would never end (reference §3.6).
    /// </summary>
    private static void CheckPipes(MethodDescriptor method, IJobPipes? pipes)
    {
        var declared = method.Job!.Pipes;
        foreach (var (pipe, name, supplied) in new[]
                 {
                     (JobPipes.Input, "input", pipes?.Input is not null),
                     (JobPipes.Output, "output", pipes?.Output is not null),
                 })
        {
            if (supplied && !declared.HasFlag(pipe))
            {
                throw new CallError($"{method.Name} does not take an {name} pipe", Errno.EINVAL);
            }

            if (!supplied && declared.HasFlag(pipe) && method.Job.CheckPipes)
            {
                throw new CallError($"Pipe '{name}' is not open: {method.Name} needs " +
                                    (pipe == JobPipes.Input ? "an upload (POST /_upload)" : "a download (core.download)"),
                    Errno.EINVAL);
            }
        }
    }

    /// <summary>
    /// Persists the job's current state, then publishes it (added or changed) to subscribers. The task
    /// completes once the change is committed and published; with <paramref name="awaitCommit"/> false there is
    /// nothing to wait for (the change is still committed before it is published).
    /// </summary>
    /// <remarks>
    /// Snapshot and queue happen under the job's <see cref="Job.PublishGate"/>, and the writer commits and
    /// publishes in queue order: so a job's events leave in the order of its changes, each after its commit,
    /// and a change need not wait for the previous one's commit (a job body does not wait for its RUNNING
    /// write; ADDED still precedes RUNNING because a job is queued to run only once its creation committed).
    /// <paramref name="afterPublish"/> runs on the writer's side right after the event was published.
    /// </remarks>
    private Task PublishChangeAsync(Job job, EventKind kind, bool awaitCommit = true, Action? afterPublish = null)
    {
        if (job.Request.Job.Transient)
        {
            // Transient jobs are neither stored nor announced (middlewared 26.04+); what follows still happens.
            afterPublish?.Invoke();
            return Task.CompletedTask;
        }

        lock (job.PublishGate)
        {
            var snapshot = job.Snapshot();
            var change = JobDocument.ToEvent(Collection, kind, snapshot);
            Action publish = afterPublish is null
                ? () => events.Publish(change)
                : () =>
                {
                    events.Publish(change);
                    afterPublish();
                };
            if (!awaitCommit)
            {
                writer.Save(snapshot, publish);
                return Task.CompletedTask;
            }

            return writer.SaveAsync(snapshot, publish);
        }
    }

    /// <summary>Refuses a new job of a caller who has <c>MaxUnfinishedJobsPerUser</c> unfinished ones (under the gate).</summary>
    private void CheckQuota(ICallContext caller, string? owner)
    {
        var limit = options.Value.MaxUnfinishedJobsPerUser;
        if (limit > 0 && !caller.HasRole(Role.FullAdmin) && _quota.UnfinishedOf(owner) >= limit)
        {
            throw new CallError(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Too many unfinished jobs: {owner} has {limit} waiting or running (JobServer:Jobs:MaxUnfinishedJobsPerUser)"),
                Errno.EBUSY);
        }
    }

    /// <summary>Drops a job from the active set and its owner's count, once (under the gate).</summary>
    private void Forget(Job job)
    {
        if (_active.TryRemove(job.Id, out _))
        {
            _quota.Remove(job.Request.Caller.Username);
        }
    }

    private static CallError LockQueueFull(string lockName, int size) => new(
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Lock queue full: {size} jobs already wait on the lock '{lockName}'; try again once one has started"),
        Errno.EBUSY);

    private static string? DescribeCall(string? template, JsonElement arguments)
    {
        if (template is null)
        {
            return null;
        }

        var values = arguments.ValueKind == JsonValueKind.Array
            ? arguments.EnumerateArray().Select(a => (object)(a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText())).ToArray()
            : [];
        try
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, template, values);
        }
        catch (FormatException)
        {
            return template;
        }
    }

    private string LogPathOf(long id) => serverOptions.Value.DataPath("jobs", $"{id}.log");
}
