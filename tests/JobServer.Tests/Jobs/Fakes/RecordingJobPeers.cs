using System.Collections.Concurrent;
using JobServer.Jobs;

namespace JobServer.Tests.Jobs.Fakes;

/// <summary>The other nodes of a cluster, as the manager sees them: the aborts asked of them, in order.</summary>
internal sealed class RecordingJobPeers : IJobPeers
{
    public ConcurrentQueue<(long Id, string Reason)> Aborts { get; } = new();

    public Task RequestAbortAsync(long id, string reason, CancellationToken cancellationToken)
    {
        Aborts.Enqueue((id, reason));
        return Task.CompletedTask;
    }
}
