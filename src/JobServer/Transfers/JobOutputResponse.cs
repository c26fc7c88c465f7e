using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>
/// Streams a job's output as an HTTP response body, shared by <c>/_download</c> and the REST mirror's download
/// routes: an attachment, written as the job writes it; a client that goes away fails the job, a job that fails
/// mid-stream breaks the response so the client never takes it for a whole file.
/// </summary>
internal sealed partial class JobOutputResponse(TransferMetrics metrics, ILogger<JobOutputResponse> logger)
{
    /// <param name="leaveEarlyFailure">A job that ends broken before a byte was sent leaves the response untouched
    /// (the answer is false) for the caller to answer with the job's error; otherwise the response is aborted.</param>
    /// <returns>False when the job ended broken before the response began and the caller is to answer.</returns>
    public async Task<bool> StreamAsync(HttpContext context, Job job, JobOutput output, string fileName,
        bool leaveEarlyFailure = false)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = AttachmentDisposition.For(fileName);
        var body = new CountingPipeWriter(context.Response.BodyWriter);
        try
        {
            await output.CopyToAsync(body, job, context.RequestAborted);
            LogDownloaded(logger, job.Id, fileName);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away: the job's next write fails with this reason, and so does the job.
                output.Abandon(JobOutput.ClientDisconnected);
                LogClientGone(logger, job.Id);
            }
            else if (leaveEarlyFailure && !context.Response.HasStarted && body.Written == 0)
            {
                context.Response.Headers.ContentDisposition = default;
                context.Response.ContentType = null;
                return false;
            }
            else
            {
                LogBrokenOutput(logger, e, job.Id);
                context.Abort();
            }

            return true;
        }
        finally
        {
            metrics.Downloaded(body.Written);
            output.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}'s output was downloaded as {FileName}")]
    private static partial void LogDownloaded(ILogger logger, long jobId, string fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The download of job {JobId} was cut off by the client")]
    private static partial void LogClientGone(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ended before its output was complete; response aborted")]
    private static partial void LogBrokenOutput(ILogger logger, Exception exception, long jobId);
}
