using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Jobs;
using JobServer.Transfers;
using Microsoft.Extensions.Options;

namespace JobServer.Rest.Mirror;

/// <summary>
/// The mirror's job routes with pipes, on the transfer code of <c>/_upload</c> and <c>/_download</c>: a job that
/// writes an output streams it as the response body; one that reads an upload takes multipart <c>data</c> (the
/// JSON the route's body would be) and <c>file</c>, and answers its id once the job read it (or, with
/// <c>?wait=true</c>, its result).
/// </summary>
internal sealed class RestTransfers(
    Dispatcher dispatcher,
    MultipartUpload multipart,
    JobOutputResponse response,
    JobManager jobs,
    IOptions<TransferOptions> transferOptions)
{
    public async Task<IResult?> DownloadAsync(HttpContext context, RestRoute route, CallRequest request, bool showTrace)
    {
        var output = new PipedJobOutput(transferOptions.Value.PipeBufferBytes);
        var started = await StartAsync(context, request with { Jobs = JobHandling.AnswerId }, new JobPipeSet(null, output));
        if (started is not { Job: { } job, Outcome.IsError: false })
        {
            output.Dispose();
            return RestEndpoint.Render(context, started.Outcome, showTrace);
        }

        return await response.StreamAsync(context, job, output, FileNameOf(context, route), leaveEarlyFailure: true)
            ? null
            : RestEndpoint.Render(context, await WaitAsync(job.Id, request.Caller, context.RequestAborted), showTrace);
    }

    public async Task<IResult?> UploadAsync(HttpContext context, RestRoute route, string? id, Caller caller, bool showTrace)
    {
        var (upload, refusal) = await multipart.OpenAsync(context,
            (part, maxBytes, cancellationToken) => ReadDataAsync(context, route, id, caller, part, maxBytes, cancellationToken),
            _ => Task.FromResult(new HttpSignIn(caller, null)));
        if (upload is null)
        {
            return refusal;
        }

        var output = route.IsDownload ? new PipedJobOutput(transferOptions.Value.PipeBufferBytes) : null;
        var request = new CallRequest(caller, route.Method.Name, RestArguments.ToElement(upload.Call));
        var started = await StartAsync(context, request, new JobPipeSet(upload.File, output));
        if (started is not { Job: { } job, Outcome.IsError: false })
        {
            output?.Dispose();
            return RestEndpoint.Render(context, started.Outcome, showTrace);
        }

        if (output is not null)
        {
            // Both pipes (exec.run): the output streams back while the job reads the upload.
            return await response.StreamAsync(context, job, output, FileNameOf(context, route), leaveEarlyFailure: true)
                ? null
                : RestEndpoint.Render(context, await WaitAsync(job.Id, caller, context.RequestAborted), showTrace);
        }

        if (await multipart.WaitReadAsync(upload.File, job) is { } broken)
        {
            return broken;
        }

        return RestEndpoint.WantsWait(context)
            ? RestEndpoint.Render(context, await WaitAsync(job.Id, caller, context.RequestAborted), showTrace)
            : RestEndpoint.Render(context, CallOutcome.Success(job.Id, typeof(long)), showTrace);
    }

    private Task<CallResult> StartAsync(HttpContext context, CallRequest request, JobPipeSet pipes) =>
        dispatcher.InvokeAsync(request with { Pipes = pipes }, context.RequestAborted).AsTask();

    /// <summary>The job's result as <c>core.job_wait</c> gives it (an aborted job is an error).</summary>
    private async Task<CallOutcome> WaitAsync(long jobId, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return CallOutcome.Success(await jobs.WaitAsync(jobId, caller, cancellationToken), typeof(JsonNode));
        }
        catch (Exception e) when (ErrorMapper.IsCallFailure(e))
        {
            return CallOutcome.Failure(ErrorMapper.FromException(e));
        }
    }

    /// <summary>The <c>data</c> part as the route's arguments, shaped as its JSON body would be.</summary>
    private static async Task<(JsonArray? Call, IResult? Error)> ReadDataAsync(HttpContext context, RestRoute route,
        string? id, Caller caller, Stream part, int maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var data = await RestBody.ReadPartAsync(part, maxBytes, cancellationToken);
            return (RestArguments.Build(route, id, data.Json, data.IsPresent, context.Request.Query), null);
        }
        catch (RestRequestException e)
        {
            return (null, RestEndpoint.Refuse(e, caller, route));
        }
    }

    /// <summary><c>?filename=</c>, else the method's name: what the attachment is saved as.</summary>
    private static string FileNameOf(HttpContext context, RestRoute route) =>
        context.Request.Query["filename"].ToString() is { Length: > 0 } name ? name : route.Method.Name;
}
