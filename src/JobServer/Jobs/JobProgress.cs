using System.Text.Json.Nodes;

namespace JobServer.Jobs;

/// <summary>A job's progress as clients see it: <c>{"percent": 0, "description": "", "extra": null}</c> at first.</summary>
internal sealed record JobProgress(int? Percent, string Description, JsonNode? Extra)
{
    public static readonly JobProgress Initial = new(0, "", null);

    /// <summary>Applies an update: only the values given change; empty description and extra are ignored, as upstream.</summary>
    public JobProgress With(int? percent, string? description, JsonNode? extra) => new(
        percent ?? Percent,
        string.IsNullOrEmpty(description) ? Description : description,
        extra ?? Extra?.DeepClone());

    public JsonObject ToJson() => new()
    {
        ["percent"] = Percent,
        ["description"] = Description,
        ["extra"] = Extra?.DeepClone(),
    };
}
