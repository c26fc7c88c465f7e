using System.Globalization;
using System.Text.Json.Nodes;

namespace JobServer.Batch;

/// <summary>
/// The seed's job and task objects. Field names are the seed's (<c>finishAt</c>, <c>finishCount</c>,
/// <c>__destination</c>, <c>__task</c>); times are ISO 8601 UTC with milliseconds, as its examples show; a
/// timeout of "infinity" is null.
/// </summary>
internal static class BatchJobView
{
    /// <summary>The job, with <c>collection</c> as task ids, or as task objects when <paramref name="embed"/>.</summary>
    public static JsonObject Job(BatchJobRecord job, IEnumerable<BatchTaskRecord> tasks, bool embed)
    {
        var json = Job(BatchJobSnapshot.Of(job, []));
        json["collection"] = new JsonArray([.. tasks.Select(t => embed ? Task(t) : (JsonNode)JsonValue.Create(t.Id))]);
        return json;
    }

    /// <summary>The job object of a snapshot: the same fields, <c>collection</c> as task ids.</summary>
    public static JsonObject Job(BatchJobSnapshot job) => new()
    {
        ["id"] = job.Id,
        ["createdAt"] = Time(job.CreatedAt),
        ["finishAt"] = Time(job.FinishAt),
        ["timeout"] = job.Timeout,
        ["status"] = job.Status,
        ["progress"] = job.Progress,
        ["totalCount"] = job.TotalCount,
        ["finishCount"] = job.FinishCount,
        ["errorCount"] = job.ErrorCount,
        ["collection"] = new JsonArray([.. job.TaskIds.Select(id => (JsonNode)JsonValue.Create(id))]),
    };

    public static JsonObject Task(BatchTaskRecord task) => new()
    {
        ["id"] = task.Id,
        ["method"] = task.Method,
        ["resource"] = task.Resource,
        ["data"] = task.Data is null ? new JsonObject() : JsonNode.Parse(task.Data),
        ["__destination"] = task.Destination,
        ["__task"] = new JsonObject
        {
            ["createdAt"] = Time(task.CreatedAt),
            ["finishAt"] = Time(task.FinishAt),
            ["timeout"] = task.Timeout,
            ["status"] = task.Status,
            ["progress"] = task.Progress,
            ["result"] = task.Result is null ? null : JsonNode.Parse(task.Result),
        },
    };

    /// <summary>A connected agent as <c>GET /batch/agents</c> lists it.</summary>
    public static JsonObject Agent(BatchAgent agent) => new()
    {
        ["id"] = agent.Destination,
        ["since"] = Time(agent.Since.ToUnixTimeMilliseconds()),
        ["address"] = agent.Address?.ToString(),
        ["inFlight"] = agent.OfferedTaskId is { } task ? new JsonArray(task) : new JsonArray(),
    };

    /// <summary>finished ÷ total × 100, a whole number as the seed's examples show.</summary>
    public static int Progress(int finished, int total) => total == 0 ? 100 : (int)(finished * 100L / total);

    public static string? Time(long? epochMilliseconds) => epochMilliseconds is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : null;
}
