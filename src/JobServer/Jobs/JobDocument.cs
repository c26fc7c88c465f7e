using System.Text.Json.Nodes;
using JobServer.Jobs.Storage;
using JobServer.Sdk;

namespace JobServer.Jobs;

/// <summary>
/// Builds the serialized job of reference §3.2 from a stored row: the one shape <c>core.get_jobs</c> answers
/// and every job event carries.
/// </summary>
internal static class JobDocument
{
    public static JsonObject FromRecord(JobRecord record) => new()
    {
        ["id"] = record.Id,
        ["message_ids"] = JsonNode.Parse(record.MessageIdsJson),
        ["method"] = record.Method,
        ["arguments"] = JsonNode.Parse(record.ArgumentsJson),
        ["transient"] = record.Transient,
        ["description"] = record.Description,
        ["abortable"] = record.Abortable,
        ["logs_path"] = record.LogsPath,
        ["logs_excerpt"] = record.LogsExcerpt,
        ["progress"] = JsonNode.Parse(record.ProgressJson),
        ["result"] = record.ResultJson is null ? null : JsonNode.Parse(record.ResultJson),
        ["error"] = record.Error,
        ["exception"] = record.Exception,
        ["exc_info"] = record.ExcInfoJson is null ? null : JsonNode.Parse(record.ExcInfoJson),
        ["state"] = record.State,
        ["time_started"] = Date(record.TimeStarted),
        ["time_finished"] = record.TimeFinished is { } finished ? Date(finished) : null,
        ["credentials"] = record.Username is null ? null : new JsonObject
        {
            ["type"] = record.CredentialType ?? "LOGIN_PASSWORD",
            ["data"] = new JsonObject { ["username"] = record.Username },
        },
    };

    /// <summary>The owner's username in a serialized job (for per-subscriber event filtering).</summary>
    public static string? OwnerOf(JsonNode? job) =>
        job?["credentials"]?["data"]?["username"]?.GetValue<string>();

    private static JsonObject Date(DateTime utc) => new()
    {
        ["$date"] = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
    };
}
