using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Spark.Jobs;

/// <summary>
/// A Java Spark job (a class in an uploaded jar): <c>java -cp &lt;jar&gt; Spark/Java/SparkRunner.java</c>, a
/// single-file source program (no build step, any JDK 11+). The request is the config's JSON on one line, then
/// the config flattened to dotted paths as <c>java.util.Properties</c>
/// text, so a job reads <c>config.get("input.string")</c> without a JSON library.
/// </summary>
internal static class SparkJavaJob
{
    /// <param name="classPath">The jars, the job's own first: <c>-cp</c> in this order.</param>
    public static Task<JsonNode?> RunAsync(IReadOnlyList<string> classPath, string className, JsonObject config,
        SparkJobContext context)
    {
        ArgumentNullException.ThrowIfNull(classPath);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        var request = new StringBuilder(config.ToJsonString()).Append('\n');
        Flatten(config, "", request);
        return SparkProcessJob.RunAsync("java",
            ["-cp", string.Join(Path.PathSeparator, classPath), SparkProcessJob.RunnerPath("Java", "SparkRunner.java"), className, context.JobId, context.ContextName],
            request.ToString(), context);
    }

    /// <summary>Each leaf as a <c>path=value</c> line: text as is, numbers and booleans as written, lists as JSON.</summary>
    private static void Flatten(JsonObject node, string prefix, StringBuilder lines)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix + key;
            if (value is JsonObject child)
            {
                Flatten(child, path + ".", lines);
            }
            else if (value is not null)
            {
                var text = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String
                    ? scalar.GetValue<string>()
                    : value.ToJsonString();
                lines.Append(Escape(path)).Append('=').Append(Escape(text)).Append('\n');
            }
        }
    }

    /// <summary>Properties escaping: separators, comment marks and spaces backslashed, the rest outside ASCII as <c>\uXXXX</c>.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '=' or ':' or '#' or '!' or ' ')
            {
                escaped.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7e)
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
