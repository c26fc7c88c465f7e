using System.Text.Json;
using JobServer.Jobs;
using JobServer.Protocol;
using JobServer.Sdk.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
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
    ILogger<UploadEndpoint> logger)
{
    private const int MultipartBufferBytes = 64 * 1024;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return HttpError.Json(StatusCodes.Status400BadRequest, "Expected a multipart/form-data body");
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

        // A 64 KiB buffer instead of the reader's 4 KiB: the file part is scanned for the boundary in large reads.
        var reader = new MultipartReader(boundary, context.Request.Body, MultipartBufferBytes);
        var dataPart = await reader.ReadNextSectionAsync(context.RequestAborted);
        if (dataPart is null)
        {
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed, "No part found on payload");
        }

        if (PartName(dataPart) != "data")
        {
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed, "\"data\" part must be the first on payload");
        }

        var (call, callError) = await UploadCall.ReadAsync(dataPart, options.Value.MaxDataPartBytes, context.RequestAborted);
        if (call is null)
        {
            return callError!;
        }

        var (caller, refusal) = await credentials.AuthenticateAsync(context);
        if (caller is null)
        {
            return refusal!;
        }

        var filePart = await reader.ReadNextSectionAsync(context.RequestAborted);
        if (filePart is null || PartName(filePart) != "file")
        {
            return HttpError.Json(StatusCodes.Status405MethodNotAllowed, "\"file\" not found as second part on payload");
        }

        return await RunAsync(context, call, caller, new UploadStream(filePart.Body, limit));
    }

    private async Task<IResult> RunAsync(HttpContext context, UploadCall call, JobCaller caller, UploadStream upload)
    {
        Job job;
        try
        {
            job = await dispatcher.SubmitJobAsync(caller, call.Method, call.Parameters, new JobPipeSet(upload, null));
        }
        catch (Exception e) when (e is CallError or ValidationException)
        {
            var error = ErrorMapper.FromException(e);
            return HttpError.From(StatusOf(error), error);
        }

        LogUploadStarted(logger, job.Id, call.Method, caller.Username);
        await Task.WhenAny(upload.Consumed, job.Finished.Task);
        if (upload.TooLarge)
        {
            return HttpError.Json(StatusCodes.Status413PayloadTooLarge,
                $"The upload is larger than {options.Value.MaxUploadBytes} bytes; job {job.Id} failed");
        }

        return Results.Json(new { job_id = job.Id });
    }

    /// <summary>
    /// middlewared's statuses: 422 unknown method or bad arguments, 403 not allowed, 412 other refusals. A bad
    /// argument is 422 whatever its errno: a path outside the filesystem roots is EACCES, yet the caller may call
    /// the method (refused at call time since issue 12, it must not read as "not allowed").
    /// </summary>
    private static int StatusOf(ErrorInfo error) => error.Errno switch
    {
        Errno.ENOMETHOD => StatusCodes.Status422UnprocessableEntity,
        _ when error.IsValidation => StatusCodes.Status422UnprocessableEntity,
        Errno.EACCES or Errno.ENOTAUTHENTICATED => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status412PreconditionFailed,
    };

    private static string? PartName(MultipartSection section) =>
        ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload into job {JobId} ({Method}) by {Username}")]
    private static partial void LogUploadStarted(ILogger logger, long jobId, string method, string? username);
}
