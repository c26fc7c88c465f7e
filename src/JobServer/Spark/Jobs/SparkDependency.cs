using System.Text.Json.Nodes;
using JobServer.Spark.Binaries;

namespace JobServer.Spark.Jobs;

/// <summary>
/// A binary on a job's class path after the first (<c>spark.run</c>'s <c>dependencies</c>, in order): its name (so
/// <c>DELETE /binaries/&lt;name&gt;</c> sees it in use), the stored version's path and its kind.
/// </summary>
internal sealed record SparkDependency(string Name, string Path, string Type)
{
    public static JsonObject ToJson(SparkDependency dependency)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        return new JsonObject { ["name"] = dependency.Name, ["path"] = dependency.Path, ["type"] = dependency.Type };
    }

    /// <summary>The argument read back; an entry that is not <c>{name, path, type}</c> text is refused.</summary>
    /// <exception cref="Sdk.Errors.ValidationException">An entry is malformed.</exception>
    public static IReadOnlyList<SparkDependency> ListOf(JsonArray? dependencies) =>
        [.. (dependencies ?? []).Select(entry =>
            entry is JsonObject { } o && Text(o["name"]) is { } name && Text(o["path"]) is { } path && Text(o["type"]) is { } type
                ? new SparkDependency(name, path, type)
                : throw new Sdk.Errors.ValidationException("dependencies", "Each dependency is {name, path, type}"))];

    /// <summary>The binary names on a <c>spark.run</c> job's class path, from its arguments (<c>app_name</c>, then <c>dependencies</c>).</summary>
    public static IEnumerable<string> NamesOf(JsonArray? arguments)
    {
        if (Text(arguments?[0]) is { } appName)
        {
            yield return appName;
        }

        foreach (var dependency in (arguments?.Count > 6 ? arguments[6] as JsonArray : null) ?? [])
        {
            if (Text(dependency?["name"]) is { } name)
            {
                yield return name;
            }
        }
    }

    /// <summary>
    /// Which runtime a kind belongs to: a class path mixes only binaries one runtime can load (.NET assemblies and
    /// published folders; Python wheels and eggs; Java jars).
    /// </summary>
    public static string RuntimeOf(string binaryType) => binaryType switch
    {
        nameof(SparkBinaryType.Dll) or nameof(SparkBinaryType.Zip) => ".NET",
        nameof(SparkBinaryType.Wheel) or nameof(SparkBinaryType.Egg) => "Python",
        nameof(SparkBinaryType.Jar) => "Java",
        _ => binaryType,
    };

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
