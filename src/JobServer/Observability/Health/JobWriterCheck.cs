using JobServer.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace JobServer.Observability.Health;

/// <summary>
/// Ready only if the job store commits: waits (at most <see cref="HealthOptions.WriterTimeoutSeconds"/>) for
/// everything queued before the probe to be committed (<see cref="IJobStore.FlushAsync"/>). A writer that keeps
/// failing, or is stuck behind a lock, makes the daemon not ready while it still answers <c>/healthz</c>.
/// </summary>
internal sealed partial class JobWriterCheck(
    IJobStore store, IOptions<HealthOptions> options, TimeProvider time, ILogger<JobWriterCheck> logger)
    : ReusedHealthCheck(options, time)
{
    public const string Name = "job_writer";

    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.FlushAsync().WaitAsync(TimeSpan.FromSeconds(Options.WriterTimeoutSeconds), Time,
                cancellationToken);
            return HealthCheckResult.Healthy("the job writer commits");
        }
        catch (TimeoutException)
        {
            LogStuck(logger, Options.WriterTimeoutSeconds);
            return HealthCheckResult.Unhealthy("the job writer has not committed in time");
        }
#pragma warning disable CA1031 // Any failure of the store is an answer of the probe, not a crash of the endpoint.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
            return HealthCheckResult.Unhealthy("the job writer fails to commit");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Readiness: the job writer has not committed within {Seconds} s")]
    private static partial void LogStuck(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: the job writer fails to commit")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
