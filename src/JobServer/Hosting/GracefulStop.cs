using JobServer.Lifecycle;
using JobServer.Jobs;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>
/// The daemon's graceful stop (SIGTERM, Ctrl-C, <c>StopAsync</c>): refuse new work at once, let running jobs
/// finish for <c>JobServer:Jobs:ShutdownGraceSeconds</c>, abort the rest, drain the job writer, and only then
/// close the WebSockets with 1001.
/// </summary>
/// <remarks>
/// The work is done in <see cref="StoppingAsync"/>, which the host runs before any hosted service's
/// <c>StopAsync</c>: Kestrel's server is registered last, so it stops first, and it waits for open connections
/// (an upgraded WebSocket never ends by itself) until the shutdown timeout and then drops them. Closing the
/// sockets here, before it, lets it stop at once and the clients read a close frame. Refusing starts on
/// <c>ApplicationStopping</c> because SIGTERM raises that first, before the host begins to stop.
/// </remarks>
internal sealed partial class GracefulStop(
    StopSignal signal,
    JobManager jobs,
    IHostApplicationLifetime lifetime,
    IOptions<JobsOptions> options,
    ILogger<GracefulStop> logger) : IHostedLifecycleService
{
    /// <summary>What the host allows beyond the job grace and the abort grace (sockets' close handshakes).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    private CancellationTokenRegistration _onStopping;

    /// <summary>How long the host may take to stop: the grace, then an abort's own grace, then the margin.</summary>
    public static TimeSpan ShutdownTimeout(JobsOptions jobs) =>
        TimeSpan.FromSeconds(jobs.ShutdownGraceSeconds + jobs.AbortGraceSeconds) + Margin;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _onStopping = lifetime.ApplicationStopping.Register(Begin);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Begin();
        try
        {
            await jobs.StopAsync(TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogShutdownTimedOut(logger);
        }
        finally
        {
            signal.CloseSockets();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Reached without StoppingAsync only if the host never started; nothing may stay open either way.
        signal.CloseSockets();
        return Task.CompletedTask;
    }

    public async Task StoppedAsync(CancellationToken cancellationToken) => await _onStopping.DisposeAsync();

    private void Begin()
    {
        if (signal.Begin())
        {
            jobs.BeginStop();
            LogStopping(logger, options.Value.ShutdownGraceSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Daemon stopping: new calls and transfers are refused (ESHUTDOWN); running jobs have {GraceSeconds} s to finish")]
    private static partial void LogStopping(ILogger logger, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The host's shutdown timeout passed before every job was settled; closing connections now")]
    private static partial void LogShutdownTimedOut(ILogger logger);
}
