using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Spark;

/// <summary>
/// A job's config (the posted HOCON or JSON merged over the server's job config), read by dotted path as
/// Typesafe Config is: <c>config.GetString("input.string")</c>.
/// </summary>
public sealed class SparkConfig(JsonObject root)
{
    /// <summary>The whole config as JSON objects nested by path segment.</summary>
    public JsonObject Root { get; } = root ?? throw new ArgumentNullException(nameof(root));

    /// <summary>The value at a dotted <paramref name="path"/>, or null when there is none.</summary>
    public JsonNode? Get(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? node = Root;
        foreach (var segment in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Whether <paramref name="path"/> has a value (Typesafe's <c>hasPath</c>).</summary>
    public bool HasPath(string path) => Get(path) is not null;

    /// <summary>The value at <paramref name="path"/> as text (numbers and booleans as written), or null.</summary>
    public string? GetString(string path) => Get(path) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        var other => other.ToJsonString(),
    };
}
