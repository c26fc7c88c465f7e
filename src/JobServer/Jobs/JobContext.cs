using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Jobs;

/// <summary>What a running job sees of itself (<see cref="IJobContext"/>).</summary>
internal sealed class JobContext(Job job, JobLog? log, ProgressThrottle progress, IJobCalls? calls = null) : IJobContext
{
    public long JobId => job.Id;

    public TextWriter Log { get; } = log?.Writer ?? TextWriter.Null;

    public CancellationToken Aborted => job.Abort.Token;

    public bool HasInput => job.Request.Pipes?.Input is not null;

    public bool HasOutput => job.Request.Pipes?.Output is not null;

    public Stream Input => job.Request.Pipes?.Input ??
        throw new InvalidOperationException($"Job {job.Id} ({job.Method.Name}) has no input pipe");

    public Stream Output => job.Request.Pipes?.Output ??
        throw new InvalidOperationException($"Job {job.Id} ({job.Method.Name}) has no output pipe");

    public void SetProgress(int? percent, string? description = null, JsonNode? extra = null)
    {
        var before = job.Progress;
        var after = before.With(percent is null ? null : Math.Clamp(percent.Value, 0, 100), description, extra);
        if (after == before && JsonNode.DeepEquals(after.Extra, before.Extra))
        {
            return;
        }

        job.SetProgress(after);
        progress.Notify();
    }

    public void SetDescription(string description)
    {
        job.SetDescription(description);
        progress.Notify();
    }

    public Task<JsonNode?> CallAsync(string method, JsonArray? parameters = null,
        CancellationToken cancellationToken = default) =>
        calls?.CallAsync(job.Request.Caller, method, parameters, cancellationToken) ??
        throw new NotSupportedException($"Job {job.Id} cannot call other methods here (no call pipeline)");
}
