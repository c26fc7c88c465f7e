using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Query;

namespace JobServer.Services;

/// <summary><c>core.*</c> methods about jobs: listing, waiting, aborting, bulk runs.</summary>
[Namespace("core")]
internal sealed partial class CoreJobsService(JobManager jobs, Lazy<Dispatcher> dispatcher) : Service
{
    [Roles(Role.Authenticated)]
    [Description("Jobs with middlewared's query filters and options; plain users see only their own.")]
    public Task<JsonNode?> GetJobs(ICallContext caller, JsonArray? filters = null, QueryOptions? options = null,
        CancellationToken cancellationToken = default) =>
        jobs.QueryAsync(filters, options, caller, cancellationToken);

    [Roles(Role.Authenticated)]
    [Description("Aborts a job: a waiting one at once, a running one through its cancellation.")]
    public async Task JobAbort(ICallContext caller, long id) => await jobs.AbortAsync(id, caller);

    [Roles(Role.Authenticated)]
    [Description("Waits for a job to end and returns its result, or raises its error.")]
    public Task<JsonNode?> JobWait(ICallContext caller, long id, CancellationToken cancellationToken = default) =>
        jobs.WaitAsync(id, caller, cancellationToken);

    [Job(Description = "Bulk call of {0}", Validator = typeof(CoreBulkValidator))]
    [Roles(Role.Authenticated)]
    [Description("Calls a method once per parameter list, as one job with progress; [{job_id, result, error}, …]. " +
                 "A failing call is its entry's error; the job itself succeeds.")]
    public async Task<JsonArray> Bulk(IJobContext job, ICallContext caller, string method, List<JsonArray> paramsList,
        string? description = null)
    {
        if (description is not null)
        {
            job.SetDescription(description);
        }

        var results = new JsonArray();
        var bulkCaller = Caller.From(caller);
        for (var i = 0; i < paramsList.Count; i++)
        {
            job.Aborted.ThrowIfCancellationRequested();
            results.Add(await CallOnceAsync(bulkCaller, method, paramsList[i], job.Aborted));
            job.SetProgress((i + 1) * 100 / paramsList.Count, $"{i + 1}/{paramsList.Count} calls");
        }

        return results;
    }
}
