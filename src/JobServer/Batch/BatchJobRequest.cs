using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Batch;

/// <summary>
/// A checked <c>POST /batch/jobs</c> body: <c>{timeout?, batch: [{method, resource, data?, __destination}]}</c>,
/// expanded to one task per (entry × destination) in the order given. Every field is checked before anything is
/// created, and each error names its field (<c>batch[0].method</c>), so a bad body changes nothing.
/// </summary>
internal sealed record BatchJobRequest(long? Timeout, IReadOnlyList<BatchTaskSpec> Tasks)
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];

    /// <summary>The request, or a <see cref="ValidationException"/> listing every bad field.</summary>
    public static BatchJobRequest Parse(JsonObject? body, BatchOptions limits)
    {
        var errors = new List<ValidationError>();
        if (body is null)
        {
            throw new ValidationException("batch", "A JSON object with a batch array is required");
        }

        var timeout = ParseTimeout(body["timeout"], limits, errors);
        var tasks = new List<BatchTaskSpec>();
        if (body["batch"] is not JsonArray batch || batch.Count == 0)
        {
            errors.Add(new ValidationError("batch", "Must be a non-empty array of {method, resource, data?, __destination}"));
        }
        else
        {
            for (var i = 0; i < batch.Count; i++)
            {
                ParseEntry(batch[i], $"batch[{i}]", tasks, errors);
            }
        }

        if (tasks.Count > limits.MaxTasksPerJob)
        {
            errors.Add(new ValidationError("batch",
                $"Expands to {tasks.Count} tasks; at most {limits.MaxTasksPerJob} are allowed in one job"));
        }

        ValidationException.ThrowIfAny(errors);
        return new BatchJobRequest(timeout, tasks);
    }

    private static long? ParseTimeout(JsonNode? node, BatchOptions limits, List<ValidationError> errors)
    {
        if (node is null)
        {
            return null; // the seed's "infinity"
        }

        if (node is JsonValue value && value.TryGetValue<long>(out var seconds) && seconds >= 1 &&
            seconds <= limits.MaxTimeoutSeconds)
        {
            return seconds;
        }

        errors.Add(new ValidationError("timeout", $"Must be a whole number of seconds from 1 to {limits.MaxTimeoutSeconds}"));
        return null;
    }

    private static void ParseEntry(JsonNode? node, string field, List<BatchTaskSpec> tasks, List<ValidationError> errors)
    {
        if (node is not JsonObject entry)
        {
            errors.Add(new ValidationError(field, "Must be an object {method, resource, data?, __destination}"));
            return;
        }

        var method = StringOf(entry["method"]);
        if (method is null || !Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new ValidationError($"{field}.method", "Must be one of GET, POST, PUT, DELETE"));
        }

        var resource = StringOf(entry["resource"]);
        if (string.IsNullOrEmpty(resource) || !resource.StartsWith('/'))
        {
            errors.Add(new ValidationError($"{field}.resource", "Must be a path beginning with /"));
        }

        var data = entry["data"];
        if (data is not null && data.GetValueKind() != JsonValueKind.Object && data.GetValueKind() != JsonValueKind.Array)
        {
            errors.Add(new ValidationError($"{field}.data", "Must be a JSON object or array"));
        }

        var destinations = Destinations(entry["__destination"]);
        if (destinations is null)
        {
            errors.Add(new ValidationError($"{field}.__destination",
                "Must be a destination id or a non-empty array of distinct destination ids"));
        }

        if (method is null || resource is null || destinations is null)
        {
            return;
        }

        var dataText = data?.ToJsonString();
        tasks.AddRange(destinations.Select(d => new BatchTaskSpec(method, resource, dataText, d)));
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A string, or an array of strings (the seed: "it will automatically expand for you").</summary>
    private static IReadOnlyList<string>? Destinations(JsonNode? node)
    {
        if (StringOf(node) is { } single)
        {
            return IsDestination(single) ? [single] : null;
        }

        if (node is not JsonArray array || array.Count == 0)
        {
            return null;
        }

        var ids = array.Select(StringOf).OfType<string>().Where(IsDestination).ToArray();
        return ids.Length == array.Count && ids.Distinct(StringComparer.Ordinal).Count() == ids.Length ? ids : null;
    }

    /// <summary>A MAC address or any other printable id, bounded (it is an agent's registration key).</summary>
    public static bool IsDestination(string id) =>
        id.Length is >= 1 and <= 200 && id.All(c => c > ' ' && c < 127);
}
