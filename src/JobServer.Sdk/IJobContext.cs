using System.Text.Json.Nodes;

namespace JobServer.Sdk;

/// <summary>What a running job sees of itself: progress, log, cancellation and pipes.</summary>
public interface IJobContext
{
    /// <summary>The job's id.</summary>
    long JobId { get; }

    /// <summary>
    /// Reports progress. Only the values given change; events are coalesced to a few per second, but the last
    /// value always reaches clients.
    /// </summary>
    void SetProgress(int? percent, string? description = null, JsonNode? extra = null);

    /// <summary>Changes the job's description.</summary>
    void SetDescription(string description);

    /// <summary>The job's log (a file when the job declares <c>Logs = true</c>, else a sink that discards).</summary>
    TextWriter Log { get; }

    /// <summary>Cancelled when the job is aborted; a job should stop soon after.</summary>
    CancellationToken Aborted { get; }

    /// <summary>The uploaded input; throws when the job declares no input pipe.</summary>
    Stream Input { get; }

    /// <summary>The output clients download; throws when the job declares no output pipe.</summary>
    Stream Output { get; }
}
