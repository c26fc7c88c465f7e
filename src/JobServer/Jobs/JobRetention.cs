namespace JobServer.Jobs;

/// <summary>
/// Deletes finished jobs older than <c>system.general.job_retention_days</c>, always keeping the newest
/// <c>job_retention_count</c>, and their log files. Runs once a minute on the injected clock; a change of the
/// settings applies at the next sweep.
/// </summary>
internal sealed partial class JobRetention(
    IJobStore store,
    TimeProvider time,
    Settings.GeneralSettings settings,
    ILogger<JobRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One sweep; returns how many jobs were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var current = settings.Current;
        var expired = await store.ListExpiredAsync(time.GetUtcNow() - TimeSpan.FromDays(current.JobRetentionDays),
            current.JobRetentionCount, cancellationToken);
        foreach (var chunk in expired.Chunk(500))
        {
            await store.DeleteAsync(chunk.Select(j => j.Id).ToArray());
            foreach (var path in chunk.Select(j => j.LogsPath).OfType<string>())
            {
                File.Delete(path);
            }
        }

        if (expired.Count > 0)
        {
            LogSwept(logger, expired.Count);
        }

        return expired.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} finished job(s)")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job retention sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
