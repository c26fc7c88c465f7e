using JobServer.Dispatch;

namespace JobServer.Transfers;

/// <summary>
/// <c>POST /_upload</c> (reference §4.3): multipart with the part <c>data</c> (the JSON call) first, then the part
/// <c>file</c>, which streams into the job's input pipe as it arrives (<see cref="MultipartUpload"/>). Answers
/// <c>{"job_id": N}</c> once the job has read the upload (or ended).
/// </summary>
internal sealed partial class UploadEndpoint(
    HttpCredentials credentials,
    MultipartUpload multipart,
    Dispatcher dispatcher,
    ILogger<UploadEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            // Issue 12 item 20: a GET was answered 400 "Expected a multipart/form-data body"; the verb is what is wrong.
            context.Response.Headers.Allow = HttpMethods.Post;
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed,
                $"{context.Request.Method} is not allowed on /_upload: POST a multipart/form-data body");
        }

        var (upload, refusal) = await multipart.OpenAsync(context, UploadCall.ReadAsync, credentials.AuthenticateAsync);
        return upload is null ? refusal! : await RunAsync(context, upload);
    }

    private async Task<IResult> RunAsync(HttpContext context, OpenedUpload<UploadCall> upload)
    {
        var (call, caller, file) = upload;
        var started = await dispatcher.InvokeAsync(
            new CallRequest(caller, call.Method, call.Parameters) { Pipes = new JobPipeSet(file, null) },
            context.RequestAborted);
        if (started is not { Job: { } job, Outcome.IsError: false })
        {
            var error = started.Outcome.Error!;
            return HttpError.From(Calls.ErrorHttpStatus.Of(error), error);
        }

        LogUploadStarted(logger, job.Id, call.Method, caller.Username);
        return await multipart.WaitReadAsync(file, job) ?? Results.Json(new { job_id = job.Id });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload into job {JobId} ({Method}) by {Username}")]
    private static partial void LogUploadStarted(ILogger logger, long jobId, string method, string? username);
}
