using System.Globalization;
using JobServer.Jobs;
using JobServer.Sdk.Errors;

namespace JobServer.Transfers;

/// <summary>
/// <c>/_download/{job_id}?auth_token=…</c> (reference §4.2): 401 for a missing, wrong, used or expired token,
/// 404 for an unknown job, 410 when the window has passed or the download already began; else the job's
/// output, streamed as the job writes it. The token is checked before the job is looked up, so a caller
/// without a good token for that id gets 401 whether or not the job exists (issue 12 item 20): only a token made
/// for the id (<c>auth.generate_token</c> with <c>{"job": id}</c>) learns that there is no such job.
/// </summary>
internal sealed partial class DownloadEndpoint(
    HttpCredentials credentials,
    DownloadRegistry downloads,
    JobManager jobs,
    TransferMetrics metrics,
    ILogger<DownloadEndpoint> logger)
{
    public async Task<IResult?> HandleAsync(HttpContext context, string? path)
    {
        var segment = path?.TrimEnd('/').Split('/').LastOrDefault();
        if (!long.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId))
        {
            return HttpError.Json(StatusCodes.Status404NotFound, "No such download");
        }

        var token = context.Request.Query["auth_token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            return HttpError.Json(StatusCodes.Status401Unauthorized, "auth_token is required");
        }

        if (await credentials.AuthenticateDownloadAsync(context, token, jobId) is { } refusal)
        {
            return refusal;
        }

        var download = downloads.TryBegin(jobId);
        if (download is null)
        {
            return await jobs.ExistsAsync(jobId, context.RequestAborted)
                ? HttpError.Json(StatusCodes.Status410Gone, "The download window has passed or the download already began")
                : HttpError.Json(StatusCodes.Status404NotFound, $"Job {jobId} does not exist");
        }

        try
        {
            await download.Output.PrepareAsync(download.Job, context.RequestAborted);
        }
        catch (CallError e)
        {
            download.Output.Dispose();
            return HttpError.Json(StatusCodes.Status500InternalServerError, e.Message);
        }

        await StreamAsync(context, download);
        return null;
    }

    private async Task StreamAsync(HttpContext context, PendingDownload download)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = AttachmentDisposition.For(download.FileName);
        var response = new CountingPipeWriter(context.Response.BodyWriter);
        try
        {
            await download.Output.CopyToAsync(response, download.Job, context.RequestAborted);
            LogDownloaded(logger, download.Job.Id, download.FileName);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away: the job's next write fails with this reason, and so does the job.
                download.Output.Abandon(JobOutput.ClientDisconnected);
                LogClientGone(logger, download.Job.Id);
            }
            else
            {
                // The job failed mid-stream: break the response so the client never takes it for a whole file.
                LogBrokenOutput(logger, e, download.Job.Id);
                context.Abort();
            }
        }
        finally
        {
            metrics.Downloaded(response.Written);
            download.Output.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}'s output was downloaded as {FileName}")]
    private static partial void LogDownloaded(ILogger logger, long jobId, string fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The download of job {JobId} was cut off by the client")]
    private static partial void LogClientGone(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ended before its output was complete; response aborted")]
    private static partial void LogBrokenOutput(ILogger logger, Exception exception, long jobId);
}
