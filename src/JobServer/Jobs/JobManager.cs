using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Configuration;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Jobs;

/// <summary>
/// The only component that changes jobs, as a thin orchestrator over four seams: the <see cref="IJobStore"/>
/// (ids, every change, reads), the <see cref="IJobScheduler"/> (when a job may start), the runners
/// (<see cref="JobRunners"/>: where a body runs) and the <see cref="IJobEventBus"/> (who hears of a change). Every
/// change is committed, then scheduled, then published, in that order and in one place
/// (<see cref="OnCommitted"/>); callers learn a job id only once the job is durable.
/// </summary>
internal sealed partial class JobManager : IJobStarter
{
    public const string Collection = "core.get_jobs";

    private readonly IJobStore _store;
    private readonly IJobScheduler _scheduler;
    private readonly JobRunners _runners;
    private readonly IJobEventBus _bus;
    private readonly JobTasks _tasks;
    private readonly TimeProvider _time;
    private readonly IOptions<JobsOptions> _options;
    private readonly IOptions<JobServerOptions> _serverOptions;
    private readonly ILogger<JobManager> _logger;
    private readonly IJobCalls? _calls;
    private readonly JobMetrics _metrics;
    private readonly JobChangeSignals? _signals;
    private readonly IJobPeers? _peers;

    /// <summary>The jobs of this daemon that are not finished yet (and the finishing ones until released).</summary>
    private readonly ConcurrentDictionary<long, Job> _active = new();

    public JobManager(
        IJobStore store,
        IJobScheduler scheduler,
        JobRunners runners,
        IJobEventBus bus,
        JobTasks tasks,
        TimeProvider time,
        IOptions<JobsOptions> options,
        IOptions<JobServerOptions> serverOptions,
        ILogger<JobManager> logger,
        JobMetrics? metrics = null,
        IJobCalls? calls = null,
        JobChangeSignals? signals = null,
        IJobPeers? peers = null)
    {
        _calls = calls;
        _signals = signals;
        _peers = peers;
        _store = store;
        _scheduler = scheduler;
        _runners = runners;
        _bus = bus;
        _tasks = tasks;
        _time = time;
        _options = options;
        _serverOptions = serverOptions;
        _logger = logger;
        _metrics = metrics ?? JobMetrics.Unobserved;
        _metrics.ObserveQueue(_active);
        scheduler.Attach(this);
    }

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
        ThrowIfStopping();
        var quota = caller.HasRole(Role.FullAdmin) ? 0 : _options.Value.MaxUnfinishedJobsPerUser;
        var joined = _scheduler.Admit(
            new JobAdmission(method, rawArguments, lockName, jobCaller.Username, pipes is null, quota));
        if (joined is not null)
        {
            // Folded into a waiting job: record this call too and tell subscribers (reference §2.6).
            joined.AddMessageId(messageId);
            await CommitAsync(joined, EventKind.Changed, AfterCommit.Publish);
            return joined;
        }

        long id;
        try
        {
            id = await _store.NextIdAsync(CancellationToken.None);
        }
        catch
        {
            _scheduler.CancelAdmission(jobCaller.Username);
            throw;
        }

        var request = new JobRequest(method, arguments, rawArguments.Clone(),
            ArgumentRedactor.Redact(method, rawArguments), lockName,
            DescribeCall(attribute.Description, rawArguments), jobCaller, messageId, pipes);
        var job = new Job(id, request, _time.GetUtcNow());
        _active[job.Id] = job;
        _metrics.Submitted(job);
        if (_scheduler.Create(job))
        {
            await CreateRunningAsync(job);
            return job;
        }

        try
        {
            // Queued once its creation committed (OnCommitted), before ADDED is published.
            await CommitAsync(job, EventKind.Added, AfterCommit.Enqueue);
        }
        catch
        {
            _active.TryRemove(job.Id, out _);
            _scheduler.Withdraw(job); // Never queued, and nobody learned its id.
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
            await CommitCreatedRunningAsync(job, log);
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
    /// Drops a job from the active set and releases it in the scheduler (lock, slot, quota), once: a finish that
    /// failed to commit and the grace timer may both get here.
    /// </summary>
    private void Release(Job job)
    {
        if (_active.TryRemove(job.Id, out _))
        {
            _scheduler.Release(job);
        }
    }

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

    private string LogPathOf(long id) => _serverOptions.Value.DataPath("jobs", $"{id}.log");
}
