using System.Globalization;
using System.Text.Json.Nodes;

namespace JobServer.Spark.Contexts;

/// <summary>
/// A context's settings, as <c>POST /contexts/&lt;name&gt;</c> gives them: query parameters as fallbacks, the
/// body's <c>spark.context-settings { … }</c> over them (spark's "custom-ctx": the body wins), every key kept as
/// given (listed by <c>GET /contexts/&lt;name&gt;</c>, re-applied by a reboot). The daemon acts on these:
/// <list type="bullet">
/// <item><c>max-jobs</c> or <c>spark.jobserver.max-jobs-per-context</c>: run slots (default: the core count, as spark's).</item>
/// <item><c>queue-when-full</c>: a full context queues jobs instead of answering 503 (default <c>JobServer:Spark:ContextQueueWhenFull</c>).</item>
/// <item><c>memory-per-node</c> (<c>512m</c>, <c>2g</c>): the context process's heap limit (default the workers').</item>
/// <item><c>num-cpu-cores</c>: the cores the context's runtime sees (<c>DOTNET_PROCESSOR_COUNT</c>).</item>
/// </list>
/// </summary>
internal sealed record SparkContextSettings(int MaxJobs, bool QueueWhenFull, int? MemoryMb, int? CpuCores, JsonObject All)
{
    public const int MaxJobsLimit = 1000;

    private const string BodyPrefix = "spark.context-settings.";

    /// <summary>The settings, or a <see cref="FormatException"/> naming the one that is malformed.</summary>
    /// <param name="fallbacks">The query's settings (text).</param>
    /// <param name="body">The parsed body (a HOCON or JSON config), or null.</param>
    public static SparkContextSettings From(IEnumerable<KeyValuePair<string, string>> fallbacks, JsonObject? body,
        bool queueByDefault)
    {
        ArgumentNullException.ThrowIfNull(fallbacks);
        var all = new JsonObject();
        foreach (var (key, value) in fallbacks)
        {
            all[key] = value;
        }

        if (body is not null)
        {
            foreach (var (path, value) in Flatten(body, ""))
            {
                all[path.StartsWith(BodyPrefix, StringComparison.Ordinal) ? path[BodyPrefix.Length..] : path] = value;
            }
        }

        var maxJobs = Whole(all, "max-jobs", 1, MaxJobsLimit) ??
                      Whole(all, "spark.jobserver.max-jobs-per-context", 1, MaxJobsLimit) ??
                      Environment.ProcessorCount;
        var queue = Flag(all, "queue-when-full") ?? queueByDefault;
        var cores = Whole(all, "num-cpu-cores", 1, 1024);
        return new SparkContextSettings(Math.Min(maxJobs, MaxJobsLimit), queue, Memory(all), cores, all);
    }

    /// <summary>The settings of a context declared in configuration (<c>JobServer:Spark:Contexts:&lt;name&gt;:&lt;key&gt;</c>).</summary>
    public static SparkContextSettings FromConfiguration(IReadOnlyDictionary<string, string> settings, bool queueByDefault) =>
        From(settings, null, queueByDefault);

    private static IEnumerable<(string Path, JsonNode? Value)> Flatten(JsonObject node, string prefix)
    {
        foreach (var (key, value) in node)
        {
            if (value is JsonObject inner)
            {
                foreach (var nested in Flatten(inner, prefix + key + "."))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return (prefix + key, value?.DeepClone());
            }
        }
    }

    private static string? TextOf(JsonObject all, string key) =>
        all[key] is JsonValue value ? value.ToString() : null;

    private static int? Whole(JsonObject all, string key, int min, int max)
    {
        if (TextOf(all, key) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) && whole >= min && whole <= max
            ? whole
            : throw new FormatException($"{key} must be a whole number from {min} to {max}, not '{text}'");
    }

    private static bool? Flag(JsonObject all, string key) =>
        TextOf(all, key) switch
        {
            null => null,
            var text when bool.TryParse(text, out var flag) => flag,
            var text => throw new FormatException($"{key} must be true or false, not '{text}'"),
        };

    /// <summary><c>memory-per-node</c> in MiB: spark's sizes (<c>512m</c>, <c>2g</c>, <c>1048576k</c>; a bare number is MiB).</summary>
    private static int? Memory(JsonObject all)
    {
        if (TextOf(all, "memory-per-node") is not { } text)
        {
            return null;
        }

        var trimmed = text.Trim().ToLowerInvariant().TrimEnd('b');
        var (digits, factor) = trimmed.Length == 0 ? ("", 0d) : trimmed[^1] switch
        {
            'k' => (trimmed[..^1], 1d / 1024),
            'm' => (trimmed[..^1], 1d),
            'g' => (trimmed[..^1], 1024d),
            't' => (trimmed[..^1], 1024d * 1024),
            _ => (trimmed, 1d),
        };
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) ||
            amount * factor is < 32 or > 1024 * 1024)
        {
            throw new FormatException($"memory-per-node must be a size from 32m to 1t (512m, 2g), not '{text}'");
        }

        return (int)(amount * factor);
    }
}
