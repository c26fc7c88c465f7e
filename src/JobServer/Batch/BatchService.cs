using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Batch;

/// <summary>
/// <c>batch.*</c>: the batch jobs of issue 16 as methods of the registry, so the <c>/batch</c> routes (and any
/// WebSocket client) go through the one Dispatcher: authorization, validation, audit and error mapping as for
/// every other call. The routes only translate HTTP to these calls.
/// </summary>
[Namespace("batch")]
internal sealed class BatchService(
    BatchJobs jobs, BatchJobQueries queries, BatchAgents agents, BatchJobRun run, IOptions<BatchOptions> options)
    : Service
{
    [Roles(Role.Authenticated)]
    [Description("Creates a batch job from {timeout?, batch: [{method, resource, data?, __destination: id | [ids]}]}: " +
                 "one task per entry and destination. Answers the job object with its task ids in collection.")]
    public Task<JsonObject> JobCreate(Caller caller, JsonObject data, CancellationToken cancellationToken = default)
    {
        var request = BatchJobRequest.Parse(data, options.Value); // A bad body creates neither a batch job nor a job.
        return jobs.CreateAsync(caller, request, id => run.SubmitAsync(caller, id), cancellationToken);
    }

    [Private]
    [Roles(Role.Authenticated)]
    [Job(Abortable = true, Resumable = true, Description = "Batch job {0}")]
    [Description("The ordinary job of a batch job: its progress until it settles; aborting it cancels the batch job.")]
    public Task<JsonObject> Run(IJobContext job, ICallContext caller, long id) => run.FollowAsync(job, caller, id);

    [Roles(Role.Authenticated)]
    [Description("The caller's batch jobs (an admin's: all), newest first; status filters (pending, dispatching, " +
                 "resolved, rejected, partial); offset and limit page.")]
    public Task<JsonArray> JobQuery(Caller caller, string? status = null, int offset = 0, int limit = 0,
        CancellationToken cancellationToken = default)
    {
        var limits = options.Value;
        var errors = new List<ValidationError>();
        if (status is not null && !BatchStatus.JobStatuses.Contains(status))
        {
            errors.Add(new ValidationError("status", $"Must be one of {string.Join(", ", BatchStatus.JobStatuses)}"));
        }

        if (offset < 0)
        {
            errors.Add(new ValidationError("offset", "Must be 0 or more"));
        }

        if (limit < 0 || limit > limits.MaxPageSize)
        {
            errors.Add(new ValidationError("limit", $"Must be from 1 to {limits.MaxPageSize} (0: {limits.DefaultPageSize})"));
        }

        ValidationException.ThrowIfAny(errors);
        return queries.QueryAsync(caller, status, offset, limit == 0 ? limits.DefaultPageSize : limit, cancellationToken);
    }

    [Roles(Role.Authenticated)]
    [Description("One batch job; with collection true its task objects are embedded in collection.")]
    public Task<JsonObject> JobGet(Caller caller, long id, bool collection = false,
        CancellationToken cancellationToken = default) =>
        queries.GetAsync(caller, id, collection, cancellationToken);

    [Roles(Role.Authenticated)]
    [Description("Cancels the batch job's unfinished tasks (owner or full admin); answers the job object.")]
    public Task<JsonObject> JobCancel(Caller caller, long id, CancellationToken cancellationToken = default) =>
        jobs.CancelAsync(caller, id, cancellationToken);

    [Roles(Role.Authenticated)]
    [Description("One task object: the message with __destination and __task {createdAt, finishAt, timeout, " +
                 "status, progress, result}.")]
    public Task<JsonObject> TaskGet(Caller caller, long id, CancellationToken cancellationToken = default) =>
        queries.GetTaskAsync(caller, id, cancellationToken);

    [Roles(Role.ReadonlyAdmin)]
    [Description("The connected device agents, by destination id: {id, since, address, inFlight (the task ids " +
                 "pushed and not yet answered: at most one)}.")]
    public JsonArray AgentQuery() =>
        new([.. agents.All.OrderBy(a => a.Destination, StringComparer.Ordinal).Select(a => (JsonNode)BatchJobView.Agent(a))]);
}
