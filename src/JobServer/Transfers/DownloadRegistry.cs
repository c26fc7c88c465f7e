using System.Collections.Concurrent;
using JobServer.Jobs;
using Microsoft.Extensions.Options;

namespace JobServer.Transfers;

/// <summary>
/// The downloads offered and not yet begun. An unbuffered download must begin within its window (60 s) or its
/// job is aborted; a buffered one within an hour or its spool file is deleted. Either way the URL then answers
/// 410, as it does once the download has begun (each output is downloaded at most once).
/// </summary>
internal sealed partial class DownloadRegistry(
    JobManager jobs,
    JobTasks tasks,
    TimeProvider time,
    IOptions<TransferOptions> options,
    ILogger<DownloadRegistry> logger)
{
    private readonly ConcurrentDictionary<long, PendingDownload> _pending = new();

    public void Offer(Job job, JobOutput output, string fileName, bool buffered)
    {
        var window = TimeSpan.FromSeconds(buffered
            ? options.Value.BufferedDownloadSeconds
            : options.Value.DownloadStartSeconds);
        // The expiry is a tracked task (awaited at stop), not one left running beside the timer.
        var expiry = time.CreateTimer(_ => tasks.Run(static s => s.Registry.ExpireAsync(s.Id, s.Window),
            (Registry: this, job.Id, Window: window)), null, window, Timeout.InfiniteTimeSpan);
        _pending[job.Id] = new PendingDownload(job, output, fileName, buffered, expiry);
    }

    /// <summary>Claims the download of a job; null when none is pending (never offered, expired, or begun).</summary>
    public PendingDownload? TryBegin(long jobId)
    {
        if (!_pending.TryRemove(jobId, out var download))
        {
            return null;
        }

        download.Expiry.Dispose();
        return download;
    }

    private async Task ExpireAsync(long jobId, TimeSpan window)
    {
        if (!_pending.TryRemove(jobId, out var download))
        {
            return;
        }

        download.Expiry.Dispose();
        var reason = $"The download was not started within {window.TotalSeconds:0} s";
        LogExpired(logger, jobId, window.TotalSeconds);
        // Abort first (it records the reason at once), then break the pipe the job may be blocked on.
        var abort = download.Buffered ? Task.CompletedTask : jobs.AbortAsync(jobId, JobCaller.Daemon, reason);
        download.Output.Abandon(reason);
        await abort;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The download of job {JobId} was not started within {WindowSeconds} s; it is no longer offered")]
    private static partial void LogExpired(ILogger logger, long jobId, double windowSeconds);
}
