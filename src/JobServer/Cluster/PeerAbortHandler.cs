using JobServer.Jobs;

namespace JobServer.Cluster;

/// <summary>
/// Aborts a job another node was asked to abort (<see cref="PostgresJobPeers"/>), if it runs here; every other
/// node ignores the request. The asking node checked its caller's rights and has already answered it.
/// </summary>
internal sealed partial class PeerAbortHandler(JobManager jobs, ILogger<PeerAbortHandler> logger)
    : IClusterNotificationHandler
{
    public string Channel => PostgresJobPeers.AbortChannel;

    public void OnNotification(string payload)
    {
        if (PostgresJobPeers.TryParse(payload, out var id, out var reason))
        {
            _ = AbortAsync(id, reason);
        }
    }

    /// <summary>Nothing to catch up: an abort asked while this node did not listen is lost (documented).</summary>
    public void OnListening()
    {
    }

    private async Task AbortAsync(long id, string reason)
    {
        try
        {
            if (await jobs.AbortForPeerAsync(id, reason))
            {
                LogAbortedForPeer(logger, id);
            }
        }
#pragma warning disable CA1031 // Logged: the asking node already answered its caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAbortFailed(logger, e, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} aborted at another node's request")]
    private static partial void LogAbortedForPeer(ILogger logger, long jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Aborting job {JobId} at another node's request failed")]
    private static partial void LogAbortFailed(ILogger logger, Exception error, long jobId);
}
