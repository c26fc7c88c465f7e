using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Sdk.Errors;
using JobServer.Spark.Binaries;
using JobServer.Spark.Callbacks;
using JobServer.Spark.Jobs;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Http;

/// <summary>
/// <c>/jobs</c> as spark-jobserver's (reference §1.2). A submit is one <c>spark.run</c> job through the Dispatcher
/// (resolving the binary's current version first), every read is <c>core.get_jobs</c> and a kill is
/// <c>core.job_abort</c>, so a Spark job is the same job over every protocol.
/// </summary>
internal sealed class SparkJobsEndpoint(SparkDoor door, SparkBinaryStore binaries, IOptions<SparkOptions> options,
    SparkCallbackGuard callbackGuard, SparkCallbackOutbox callbacks, SparkCallbackSender callbackSender,
    SparkServerJobConfig serverJobConfig, Contexts.SparkContexts contexts)
{
    private const string RunMethod = "spark.run";

    public async Task<IResult> CollectionAsync(HttpContext context)
    {
        var (verb, caller, refusal) = await door.AdmitAsync(context, HttpMethods.Get, HttpMethods.Post);
        if (caller is null)
        {
            return refusal!;
        }

        return verb == HttpMethods.Get ? await ListAsync(context, caller) : await SubmitAsync(context, caller);
    }

    public async Task<IResult> JobAsync(HttpContext context, string id)
    {
        var (verb, caller, refusal) = await door.AdmitAsync(context, HttpMethods.Get, HttpMethods.Delete);
        if (caller is null)
        {
            return refusal!;
        }

        var (job, failure) = await FindAsync(context, caller, id);
        if (job is null)
        {
            return failure!;
        }

        return verb == HttpMethods.Get ? await ShowAsync(context, job) : await KillAsync(context, caller, id, job);
    }

    /// <summary>
    /// <c>GET /jobs/&lt;id&gt;/config</c>: the config the job saw, the posted one merged over the server's (the job's
    /// own argument, so it exists for sync jobs too, unlike spark-jobserver's, issues #162 and #1374).
    /// </summary>
    public async Task<IResult> ConfigAsync(HttpContext context, string id)
    {
        var (_, caller, refusal) = await door.AdmitAsync(context, HttpMethods.Get);
        if (caller is null)
        {
            return refusal!;
        }

        var (job, failure) = await FindAsync(context, caller, id);
        return job is null ? failure! : SparkResponses.Json(StatusCodes.Status200OK, (job["arguments"] as JsonArray)?[2]?.DeepClone());
    }

    private async Task<IResult> SubmitAsync(HttpContext context, Caller caller)
    {
        if (door.Refusal(caller, RunMethod) is { } refused)
        {
            return refused;
        }

        var (submission, invalid) = await SparkJobSubmission.ReadAsync(context, options.Value.MaxConfigBytes, serverJobConfig);
        if (submission is null)
        {
            return invalid!;
        }

        var callbackUrl = context.Request.Query["callbackUrl"].ToString();
        if (callbackUrl.Length > 0 && await callbackGuard.RefusalAsync(callbackUrl, context.RequestAborted) is { } badCallback)
        {
            // spark-jobserver answers a malformed callbackUrl with 500; a refused URL is the caller's error: 400.
            return SparkResponses.Error(StatusCodes.Status400BadRequest, badCallback);
        }

        var (classPath, notFound) = await SparkClassPath.ResolveAsync(binaries,
            [submission.AppName, .. submission.Dependencies], context.RequestAborted);
        if (classPath is null)
        {
            return notFound!;
        }

        var binary = classPath[0];
        Contexts.SparkContext? named = null;
        if (submission.Context is { } name)
        {
            named = contexts.Find(name);
            if (ContextRefusal(name, named) is { } refusedByContext)
            {
                return refusedByContext;
            }
        }

        JobServer.Jobs.Job job;
        try
        {
            var started = await door.CallAsync(context, caller, RunMethod,
                [submission.AppName, submission.ClassName, submission.Config.DeepClone(), submission.Context, binary.Path,
                    binary.Type.ToString(), SparkClassPath.Dependencies(classPath.Skip(1)), named?.Id],
                jobs: JobHandling.AnswerId, allowPrivate: true);
            if (started.Outcome.Error is not null || started.Job is null)
            {
                named?.Slots.Release();
                return Refused(started.Outcome.Error!);
            }

            job = started.Job;
        }
        catch
        {
            named?.Slots.Release();
            throw;
        }

        var slotReleased = named?.Track(job) ?? Task.CompletedTask;
        if (callbackUrl.Length > 0)
        {
            // Stored before the answer, so neither a restart nor a quick end loses it.
            await callbacks.AddAsync(job.Id, callbackUrl, CancellationToken.None);
            callbackSender.Track(new Storage.SparkCallbackRecord { JobId = job.Id, Url = callbackUrl });
        }

        if (!submission.Sync)
        {
            return await ReportAsync(context, caller, job.Id, StatusCodes.Status202Accepted, started: true);
        }

        try
        {
            await job.Finished.Task.WaitAsync(submission.Timeout, context.RequestAborted);
            // Its slot too (freed right after): a client that sends its next job once this answer arrives finds it free.
            await slotReleased;
        }
        catch (TimeoutException)
        {
            // Beyond spark-jobserver (its 500 loses the id): the job goes on, the caller gets its report.
            return await ReportAsync(context, caller, job.Id, StatusCodes.Status202Accepted, started: false);
        }

        if (job.EndCommitted)
        {
            // Its end is durable and this caller created it: the job in memory is what core.get_jobs would read
            // back (the same document, JobDocument.FromRecord), without a query per answer.
            return SyncAnswer(JobServer.Jobs.JobDocument.FromRecord(job.Snapshot()));
        }

        // The end was not committed (the store failed): answer what is stored, never a result that may be lost.
        var (ended, failure) = await QueryOneAsync(context, caller, job.Id);
        return ended is null ? failure! : SyncAnswer(ended);
    }

    /// <summary>
    /// A job for a named context is refused before it exists when the context is unknown (404), stopping (409) or
    /// full and not queueing (spark's 503 <c>NO SLOTS AVAILABLE</c>); else it holds one of the context's slots.
    /// </summary>
    private static IResult? ContextRefusal(string name, Contexts.SparkContext? named)
    {
        if (named is null)
        {
            return SparkResponses.Error(StatusCodes.Status404NotFound, $"context {name} not found");
        }

        if (named.State != Contexts.SparkContextState.Running)
        {
            return SparkResponses.Error(StatusCodes.Status409Conflict, "Context stop in progress");
        }

        return named.Slots.TryAdmit()
            ? null
            : SparkResponses.Json(StatusCodes.Status503ServiceUnavailable, new JsonObject
            {
                ["status"] = "NO SLOTS AVAILABLE",
                ["result"] = $"Too many running jobs ({named.Slots.MaxJobs}) for job context '{name}'",
            });
    }

    /// <summary>A finished sync job: 200 with its result; its typed failure as §1.2's body; else spark's 200 error form.</summary>
    private static IResult SyncAnswer(JsonObject job)
    {
        var sparkId = SparkJobIds.ToSpark(job["id"]!.GetValue<long>());
        var status = SparkJobReport.StatusOf(job["state"]?.GetValue<string>());
        if (status == SparkJobReport.Finished)
        {
            return SparkResponses.Json(StatusCodes.Status200OK,
                new JsonObject { ["jobId"] = sparkId, ["result"] = job["result"]?.DeepClone() });
        }

        var excInfo = job["exc_info"] as JsonObject;
        if (SparkJobFailure.Read(excInfo?["extra"]) is { } labelled)
        {
            return SparkResponses.Exception(StatusCodes.Status400BadRequest, labelled.Label, labelled.Exception);
        }

        if (excInfo?["errno"]?.GetValue<int>() == Errno.ENOENT)
        {
            return SparkResponses.Error(StatusCodes.Status404NotFound,
                ErrorMapper.WithoutErrname(job["error"]?.GetValue<string>() ?? ""));
        }

        return SparkResponses.Json(StatusCodes.Status200OK, new JsonObject
        {
            ["jobId"] = sparkId, ["status"] = status, ["result"] = SparkJobReport.ExceptionOf(job),
        });
    }

    /// <summary>A refused <c>spark.run</c>: its typed error as §1.2's labelled body, else spark's error form.</summary>
    private static IResult Refused(ErrorInfo error) =>
        SparkJobFailure.Read(error.Extra) is { } labelled
            ? SparkResponses.Exception(StatusCodes.Status400BadRequest, labelled.Label, labelled.Exception)
            : SparkCallFailure.Of(error).ToResult();

    /// <summary>The report (with its result when finished) and, beyond spark, its callback's progress.</summary>
    private async Task<IResult> ShowAsync(HttpContext context, JsonObject job)
    {
        var report = SparkJobReport.Of(job);
        if (report["status"]!.GetValue<string>() == SparkJobReport.Finished && job["result"] is { } result)
        {
            report["result"] = result.DeepClone();
        }

        if (await callbacks.FindAsync(job["id"]!.GetValue<long>(), context.RequestAborted) is { } callback)
        {
            report["callback"] = SparkCallbackOutbox.Describe(callback);
        }

        return SparkResponses.Json(StatusCodes.Status200OK, report);
    }

    /// <summary>spark's <c>DELETE /jobs/&lt;id&gt;</c>: a running job is aborted (<c>core.job_abort</c>).</summary>
    private async Task<IResult> KillAsync(HttpContext context, Caller caller, string id, JsonObject job)
    {
        switch (SparkJobReport.StatusOf(job["state"]?.GetValue<string>()))
        {
            case SparkJobReport.Error:
                return SparkResponses.Json(StatusCodes.Status200OK, new JsonObject
                {
                    ["status"] = SparkJobReport.Error, [SparkJobReport.Error] = SparkJobReport.ExceptionOf(job),
                });
            case SparkJobReport.Running:
                var aborted = await door.CallAsync(context, caller, "core.job_abort", [job["id"]!.GetValue<long>()]);
                return aborted.Outcome.Error is { } error
                    ? SparkCallFailure.Of(error).ToResult()
                    : SparkResponses.Json(StatusCodes.Status200OK, new JsonObject { ["status"] = SparkJobReport.Killed });
            default:
                return SparkResponses.Error(StatusCodes.Status404NotFound, $"No running job with ID {id}");
        }
    }

    /// <summary><c>GET /jobs?limit=&amp;status=</c>: the newest first, 50 unless asked (spark's <c>DefaultJobLimit</c>).</summary>
    private async Task<IResult> ListAsync(HttpContext context, Caller caller)
    {
        var limit = int.TryParse(context.Request.Query["limit"], out var asked) && asked > 0
            ? Math.Min(asked, Sdk.Query.QueryOptions.MaxLimit)
            : 50;
        var filters = new JsonArray(new JsonArray("method", "=", RunMethod));
        if (context.Request.Query["status"].ToString() is { Length: > 0 } status)
        {
            filters.Add(new JsonArray("state", "in", new JsonArray([.. SparkJobReport.StatesOf(status).Select(s => JsonValue.Create(s))])));
        }

        var listed = await door.CallAsync(context, caller, "core.get_jobs",
            [filters, new JsonObject { ["order_by"] = new JsonArray("-id"), ["limit"] = limit }]);
        if (listed.Outcome.Error is { } error)
        {
            return SparkCallFailure.Of(error).ToResult();
        }

        var reports = new JsonArray();
        foreach (var job in (listed.Outcome.Value as JsonArray ?? []).OfType<JsonObject>())
        {
            reports.Add(SparkJobReport.Of(job));
        }

        return SparkResponses.Json(StatusCodes.Status200OK, reports);
    }

    private async Task<IResult> ReportAsync(HttpContext context, Caller caller, long jobId, int status, bool started)
    {
        var (job, failure) = await QueryOneAsync(context, caller, jobId);
        return job is null ? failure! : SparkResponses.Json(status, SparkJobReport.Of(job, started));
    }

    /// <summary>The <c>spark.run</c> job of a spark id the caller may see, or spark's 404.</summary>
    private async Task<(JsonObject? Job, IResult? Failure)> FindAsync(HttpContext context, Caller caller, string id)
    {
        if (SparkJobIds.TryParse(id, out var jobId))
        {
            var (job, failure) = await QueryOneAsync(context, caller, jobId);
            if (job is not null || failure is not null)
            {
                return (job, failure);
            }
        }

        return (null, SparkResponses.Error(StatusCodes.Status404NotFound, $"No such job ID {id}"));
    }

    /// <summary>The job's <c>core.get_jobs</c> document; (null, null) when there is no such <c>spark.run</c> job.</summary>
    private async Task<(JsonObject? Job, IResult? Failure)> QueryOneAsync(HttpContext context, Caller caller, long jobId)
    {
        var found = await door.CallAsync(context, caller, "core.get_jobs",
            [new JsonArray(new JsonArray("id", "=", jobId), new JsonArray("method", "=", RunMethod)), new JsonObject()]);
        if (found.Outcome.Error is { } error)
        {
            return (null, SparkCallFailure.Of(error).ToResult());
        }

        return ((found.Outcome.Value as JsonArray)?.FirstOrDefault() as JsonObject, null);
    }
}
