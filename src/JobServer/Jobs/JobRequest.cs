using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Jobs;

/// <summary>A validated call of a job method: bound arguments, the resolved lock, the caller.</summary>
internal sealed record JobRequest(
    MethodDescriptor Method,
    object?[] Arguments,
    JsonElement RawArguments,
    JsonArray RedactedArguments,
    string? LockName,
    string? Description,
    JobCaller Caller,
    JsonNode? MessageId,
    IJobPipes? Pipes = null)
{
    public JobAttribute Job => Method.Job!;
}

/// <summary>The streams a caller supplies for a job's declared pipes (transfers attach them).</summary>
internal interface IJobPipes
{
    Stream? Input { get; }

    Stream? Output { get; }

    /// <summary>
    /// The job ended: the output is complete (or, when the job did not succeed, broken, so a reader never takes a
    /// truncated stream for a whole one) and the input is no longer read.
    /// </summary>
    void OnJobFinished(JobState state);

    /// <summary>
    /// The job's body returned: completes once a downloader has taken the whole output (an unbuffered download),
    /// or at once when there is nothing to hand over. Until then the job is not SUCCESS: an output small enough to
    /// fit in the pipe's buffer must not make the job succeed before anyone downloaded it (issue 12, item 11).
    /// </summary>
    Task WaitOutputTakenAsync(CancellationToken cancellationToken);
}
