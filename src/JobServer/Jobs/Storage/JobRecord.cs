using System.Text.Json.Serialization;

namespace JobServer.Jobs.Storage;

/// <summary>
/// A row of the jobs table. The columns clients filter on (id, method, state, times, username) are real
/// columns, so <c>core.get_jobs</c> filters on them run in SQL; the nested parts of a job are JSON text.
/// Property names match the wire names where they mean the same thing (the query push-down maps by name);
/// columns with no wire counterpart are [JsonIgnore]d so a filter never reaches them in SQL.
/// </summary>
internal sealed class JobRecord
{
    public long Id { get; set; }

    public required string Method { get; set; }

    public required string State { get; set; }

    public string? Description { get; set; }

    public bool Transient { get; set; }

    public bool Abortable { get; set; }

    [JsonIgnore]
    public string? LockName { get; set; }

    public string? LogsPath { get; set; }

    public string? LogsExcerpt { get; set; }

    public string? Error { get; set; }

    public string? Exception { get; set; }

    /// <summary>When the job was created (middlewared's <c>time_started</c> is the creation time), UTC.</summary>
    public DateTime TimeStarted { get; set; }

    public DateTime? TimeFinished { get; set; }

    [JsonIgnore]
    public string? Username { get; set; }

    [JsonIgnore]
    public string? CredentialType { get; set; }

    /// <summary>Roles of the caller, kept so a job re-queued after a restart runs with the same rights.</summary>
    [JsonIgnore]
    public string? CallerRoles { get; set; }

    /// <summary>The arguments as clients see them (secrets redacted), JSON.</summary>
    [JsonIgnore]
    public string ArgumentsJson { get; set; } = "[]";

    /// <summary>
    /// The unredacted arguments, JSON, kept only while the job waits (to run it after a restart) and cleared
    /// when it starts, so secrets do not stay at rest.
    /// </summary>
    [JsonIgnore]
    public string? PendingArgumentsJson { get; set; }

    [JsonIgnore]
    public string ProgressJson { get; set; } = "{}";

    [JsonIgnore]
    public string? ResultJson { get; set; }

    [JsonIgnore]
    public string? ExcInfoJson { get; set; }

    [JsonIgnore]
    public string MessageIdsJson { get; set; } = "[]";
}
