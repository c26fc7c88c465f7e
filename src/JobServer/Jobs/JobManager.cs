using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Events;
using JobServer.Hosting;
using JobServer.Jobs.Storage;
using JobServer.Registry;
using JobServer.Sdk;
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
    private long _lastId;

    /// <summary>Jobs not finished yet (waiting or running).</summary>
    public int ActiveCount => _active.Count;

    public bool TryGetActive(long id, out Job job) => _active.TryGetValue(id, out job!);

    /// <summary>
    /// Creates a job for a validated call, or joins the newest waiting job with the same lock when
    /// <c>LockQueueSize</c> jobs already wait on it (the call's message id is then added to that job).
    /// </summary>
    public async Task<Job> SubmitAsync(
        MethodDescriptor method, object?[] arguments, JsonElement rawArguments, ICallContext caller,
        JsonNode? messageId, IJobPipes? pipes = null)
    {
        var attribute = method.Job!;
        var lockName = LockTemplate.Resolve(attribute.Lock, rawArguments, ArgumentBinder.AttributePrefix(method));
        var jobCaller = JobCaller.From(caller);
        Job job;
        var joined = false;
        lock (_gate)
        {
            if (lockName is not null && attribute.LockQueueSize > 0 &&
                _queue.FindWaitingToJoin(lockName, attribute.LockQueueSize,
                    waiting => waiting.Request.Caller.Username == jobCaller.Username || caller.HasRole(Role.FullAdmin))
                    is { } existing)
            {
                job = existing;
                joined = true;
            }
            else
            {
                var request = new JobRequest(method, arguments, rawArguments.Clone(),
                    ArgumentRedactor.Redact(method, rawArguments), lockName,
                    DescribeCall(attribute.Description, rawArguments), jobCaller, messageId, pipes);
                job = new Job(++_lastId, request, time.GetUtcNow());
                _active[job.Id] = job;
            }
        }

        if (joined)
        {
            // Folded into a waiting job: record this call too and tell subscribers (reference §2.6).
            job.AddMessageId(messageId);
            await PublishChangeAsync(job, EventKind.Changed);
            return job;
        }

        await PublishChangeAsync(job, EventKind.Added);
        IReadOnlyList<Job> toStart;
        lock (_gate)
        {
            toStart = _queue.Enqueue(job);
        }

        StartAll(toStart);
        return job;
    }

    /// <summary>Persists the job's current state, then publishes it (added or changed) to subscribers.</summary>
    private async Task PublishChangeAsync(Job job, EventKind kind)
    {
        if (job.Request.Job.Transient)
        {
            return; // Transient jobs are neither stored nor announced (middlewared 26.04+).
        }

        await job.PublishGate.WaitAsync();
        try
        {
            var snapshot = job.Snapshot();
            await writer.SaveAsync(snapshot);
            events.Publish(Collection, kind, snapshot.Id, JobDocument.FromRecord(snapshot));
        }
        finally
        {
            job.PublishGate.Release();
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

    private string LogPathOf(long id) => serverOptions.Value.DataPath("jobs", $"{id}.log");
}
