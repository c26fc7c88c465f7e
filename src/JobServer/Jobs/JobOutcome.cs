using System.Text.Json.Nodes;

namespace JobServer.Jobs;

/// <summary>How a job ended: its terminal state and what clients see of the result or error.</summary>
internal sealed record JobOutcome(
    JobState State,
    JsonNode? Result = null,
    string? Error = null,
    string? Exception = null,
    JsonObject? ExcInfo = null);
