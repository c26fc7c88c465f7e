using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Workers.Host;

/// <summary>What a job running in a worker sees of itself: the same <see cref="IJobContext"/> as in the daemon.</summary>
internal sealed class WorkerJobContext(
    long jobId,
    JobReports reports,
    bool logs,
    ChannelInputStream? input,
    ChannelOutputStream? output,
    WorkerCalls calls,
    CancellationToken aborted) : IJobContext
{
    public long JobId => jobId;

    public TextWriter Log { get; } = logs ? new ChannelLogWriter(reports) : TextWriter.Null;

    public CancellationToken Aborted => aborted;

    public bool HasInput => input is not null;

    public bool HasOutput => output is not null;

    public Stream Input => input ?? throw new InvalidOperationException($"Job {jobId} has no input pipe");

    public Stream Output => output ?? throw new InvalidOperationException($"Job {jobId} has no output pipe");

    public void SetProgress(int? percent, string? description = null, JsonNode? extra = null) =>
        reports.Progress(percent, description, extra);

    public void SetDescription(string description) => reports.Description(description);

    public Task<JsonNode?> CallAsync(string method, JsonArray? parameters = null,
        CancellationToken cancellationToken = default) =>
        calls.CallAsync(method, parameters, cancellationToken);
}
