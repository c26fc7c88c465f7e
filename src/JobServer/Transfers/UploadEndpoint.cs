using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Transfers.Multipart;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace JobServer.Transfers;

/// <summary>
/// <c>POST /_upload</c> (reference §4.3): multipart with the part <c>data</c> (the JSON call) first, then the part
/// <c>file</c>, which streams into the job's input pipe as it arrives. Answers <c>{"job_id": N}</c> once the job
/// has read the upload (or ended).
/// </summary>
internal sealed partial class UploadEndpoint(
    HttpCredentials credentials,
    Dispatcher dispatcher,
    IOptions<TransferOptions> options,
    TransferMetrics metrics,
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

        if (BoundaryOf(context.Request.ContentType, out var problem) is not { } boundary)
        {
            return HttpError.Json(StatusCodes.Status400BadRequest, problem);
        }

        // Files stream into jobs, so Kestrel's 30 MB default does not apply; our own limit (if any) does.
        var limit = options.Value.MaxUploadBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit > 0 ? limit + options.Value.MaxDataPartBytes + 64 * 1024 : null;
        }

        if (limit > 0 && context.Request.ContentLength > limit + options.Value.MaxDataPartBytes + 64 * 1024)
        {
            return HttpError.Json(StatusCodes.Status413PayloadTooLarge, $"The upload is larger than {limit} bytes");
        }

        try
        {
            return await ReadPartsAsync(context, new MultipartBodyReader(context.Request.BodyReader, boundary));
        }
        catch (MalformedMultipartException e)
        {
            // Found before any job started: the client's mistake, and nothing was created (issue 12 item 14).
            return HttpError.Json(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private async Task<IResult> ReadPartsAsync(HttpContext context, MultipartBodyReader reader)
    {
        var dataPart = await reader.ReadNextPartAsync(lastPart: false, context.RequestAborted);
        if (dataPart is null)
        {
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed, "No part found on payload");
        }

        if (dataPart.Name != "data")
        {
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed, "\"data\" part must be the first on payload");
        }

        var (call, callError) = await UploadCall.ReadAsync(dataPart.Body, options.Value.MaxDataPartBytes, context.RequestAborted);
        if (call is null)
        {
            return callError!;
        }

        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        var filePart = await reader.ReadNextPartAsync(lastPart: true, context.RequestAborted);
        if (filePart is null || filePart.Name != "file")
        {
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed, "\"file\" not found as second part on payload");
        }

        return await RunAsync(context, call, caller, new UploadStream(filePart.Body, options.Value.MaxUploadBytes));
    }

    /// <summary>The boundary of a <c>multipart/form-data</c> Content-Type (RFC 2046: 1 to 70 characters); else null and why.</summary>
    private static string? BoundaryOf(string? contentType, out string problem)
    {
        problem = "Expected a multipart/form-data body";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (boundary is not { Length: > 0 and <= 70 })
        {
            problem = "The multipart/form-data Content-Type needs a boundary parameter of 1 to 70 characters";
            return null;
        }

        return boundary;
    }

    private async Task<IResult> RunAsync(HttpContext context, UploadCall call, Caller caller, UploadStream upload)
    {
        var started = await dispatcher.InvokeAsync(
            new CallRequest(caller, call.Method, call.Parameters) { Pipes = new JobPipeSet(upload, null) },
            context.RequestAborted);
        if (started is not { Job: { } job, Outcome.IsError: false })
        {
            var error = started.Outcome.Error!;
            return HttpError.From(ErrorHttpStatus.Of(error), error);
        }

        LogUploadStarted(logger, job.Id, call.Method, caller.Username);
        await Task.WhenAny(upload.Consumed, job.Finished.Task);
        metrics.Uploaded(upload.Position);
        if (upload.TooLarge)
        {
            return HttpError.Json(StatusCodes.Status413PayloadTooLarge,
                $"The upload is larger than {options.Value.MaxUploadBytes} bytes; job {job.Id} failed");
        }

        if (upload.Malformed is { } malformed)
        {
            // The file part broke off after its job had started: the job fails on it (so a job that writes a file
            // renames nothing into place), and the client learns why.
            return HttpError.Json(StatusCodes.Status400BadRequest, $"{malformed.Message}; job {job.Id} failed");
        }

        return Results.Json(new { job_id = job.Id });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload into job {JobId} ({Method}) by {Username}")]
    private static partial void LogUploadStarted(ILogger logger, long jobId, string method, string? username);
}
