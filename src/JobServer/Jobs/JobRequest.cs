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
}
