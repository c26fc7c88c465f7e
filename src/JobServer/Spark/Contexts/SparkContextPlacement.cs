using System.Text.Json;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using JobServer.Workers;

namespace JobServer.Spark.Contexts;

/// <summary>
/// Sends a <c>spark.run</c> job posted with <c>context=&lt;name&gt;</c> to that context's process rather than a pooled
/// worker. The job names its context (argument 3) and the context's id (argument 6), both set by the <c>/jobs</c>
/// door, so a job whose context was stopped — or stopped and created again under the same name — fails as spark's
/// jobs of a terminated context do, never running in a context it was not posted to.
/// </summary>
internal sealed class SparkContextPlacement(SparkContexts contexts) : IWorkerPlacement
{
    private const string RunMethod = "spark.run";

    public bool Places(Job job) => ContextOf(job) is not null;

    public Task<JobOutcome>? TryRun(Job job, IJobContext context, IJobCalls calls)
    {
        if (ContextOf(job) is not var (name, id))
        {
            return null;
        }

        return contexts.Find(name) is { } named && named.Id == id
            ? named.RunAsync(job, context, calls)
            : Task.FromResult(JobFailure.Failed(new CallError($"Context ({name}) for this job was terminated")));
    }

    private static (string Name, string? Id)? ContextOf(Job job)
    {
        if (job.Method.Name != RunMethod || job.Request.RawArguments is not { ValueKind: JsonValueKind.Array } arguments ||
            arguments.GetArrayLength() < 4 || arguments[3].ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var id = arguments.GetArrayLength() > 7 && arguments[7].ValueKind == JsonValueKind.String ? arguments[7].GetString() : null;
        return (arguments[3].GetString()!, id);
    }
}
