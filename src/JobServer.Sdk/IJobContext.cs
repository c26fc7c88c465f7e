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

    /// <summary>Whether the call supplied an input pipe (an upload).</summary>
    bool HasInput { get; }

    /// <summary>Whether the call supplied an output pipe (a download).</summary>
    bool HasOutput { get; }

    /// <summary>The uploaded input, read as it arrives; throws when the call supplied no input pipe.</summary>
    Stream Input { get; }

    /// <summary>
    /// The output clients download, written as they read it (a slow reader slows the writer); throws when the call
    /// supplied no output pipe.
    /// </summary>
    Stream Output { get; }
}
