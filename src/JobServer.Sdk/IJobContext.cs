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

    /// <summary>
    /// Calls another method through the daemon's dispatcher <b>as the job's caller</b> (its rights, never more):
    /// answers the method's result, or — for a job method — waits for that job and answers its result. Errors are
    /// raised as they would be for a client: a <c>CallError</c> with its errno, a <c>ValidationException</c>. The
    /// same in the daemon and in a worker process. A default member, so contexts written before it still load.
    /// </summary>
    /// <param name="method">The method's full name, such as <c>user.query</c>.</param>
    /// <param name="parameters">The positional parameters, or null for none.</param>
    /// <param name="cancellationToken">Stops waiting (the job's <see cref="Aborted"/> is a good choice).</param>
    Task<JsonNode?> CallAsync(string method, JsonArray? parameters = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("This job context cannot call other methods");
}
