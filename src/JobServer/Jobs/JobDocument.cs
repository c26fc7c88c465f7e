using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Events;
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

    /// <summary>
    /// The job's event, its document encoded once, here, on the thread that made the change: the row's JSON
    /// columns are copied in as they are (no parse, no node tree), the same bytes <see cref="FromRecord"/> would
    /// serialize to.
    /// </summary>
    public static CollectionEvent ToEvent(string collection, EventKind kind, JobRecord record) =>
        ToEvent(collection, kind, record, Encode(record));

    /// <summary>The event of a row whose document is already encoded (<see cref="Encode"/>).</summary>
    public static CollectionEvent ToEvent(string collection, EventKind kind, JobRecord record, byte[] document) =>
        new(collection, kind, record.Id, document, record.Username);

    /// <summary>The job's document as UTF-8 JSON, the bytes an event of it carries.</summary>
    public static byte[] Encode(JobRecord record) => WireWriter.Build(record, Write);

    /// <summary>The owner's username of a job event (for per-subscriber event filtering).</summary>
    public static string? OwnerOf(CollectionEvent job) =>
        job.Owner ?? job.Fields?["credentials"]?["data"]?["username"]?.GetValue<string>();

    private static void Write(Utf8JsonWriter w, JobRecord r)
    {
        w.WriteStartObject();
        w.WriteNumber("id", r.Id);
        Raw(w, "message_ids", r.MessageIdsJson);
        w.WriteString("method", r.Method);
        Raw(w, "arguments", r.ArgumentsJson);
        w.WriteBoolean("transient", r.Transient);
        w.WriteString("description", r.Description);
        w.WriteBoolean("abortable", r.Abortable);
        w.WriteString("logs_path", r.LogsPath);
        w.WriteString("logs_excerpt", r.LogsExcerpt);
        Raw(w, "progress", r.ProgressJson);
        Raw(w, "result", r.ResultJson);
        w.WriteString("error", r.Error);
        w.WriteString("exception", r.Exception);
        Raw(w, "exc_info", r.ExcInfoJson);
        w.WriteString("state", r.State);
        WriteDate(w, "time_started", r.TimeStarted);
        if (r.TimeFinished is { } finished)
        {
            WriteDate(w, "time_finished", finished);
        }
        else
        {
            w.WriteNull("time_finished");
        }

        if (r.Username is null)
        {
            w.WriteNull("credentials");
        }
        else
        {
            w.WriteStartObject("credentials");
            w.WriteString("type", r.CredentialType ?? "LOGIN_PASSWORD");
            w.WriteStartObject("data");
            w.WriteString("username", r.Username);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>A JSON column as it is stored (written by <see cref="JsonNode.ToJsonString"/>), or null.</summary>
    private static void Raw(Utf8JsonWriter w, string name, string? json)
    {
        w.WritePropertyName(name);
        if (json is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(json, skipInputValidation: true);
        }
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateTime utc)
    {
        w.WriteStartObject(name);
        w.WriteNumber("$date", UnixMilliseconds(utc));
        w.WriteEndObject();
    }

    private static JsonObject Date(DateTime utc) => new() { ["$date"] = UnixMilliseconds(utc) };

    private static long UnixMilliseconds(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
}
