using System.Text.Json;

namespace JobServer.Client;

/// <summary>A job's progress as its <c>core.get_jobs</c> events report it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Percent">0 to 100, or null when the job has not said.</param>
/// <param name="Description">What the job is doing, or null.</param>
/// <param name="Extra">The job's own extra progress data (JSON), or null.</param>
/// <param name="State">The job's state: WAITING, RUNNING, SUCCESS, FAILED or ABORTED.</param>
public sealed record JobProgress(long JobId, double? Percent, string? Description, JsonElement? Extra, string State);
