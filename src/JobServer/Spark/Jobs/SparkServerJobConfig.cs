using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Jobs;

/// <summary>
/// The server's job config (<c>JobServer:Spark:JobConfigFile</c>, then <c>JobServer:Spark:JobConfig</c> over it),
/// parsed once at start. spark-jobserver merges every posted config over its own (<c>withFallback</c>, reference
/// §1.2 step 1, behaviour 14): posted keys win, objects merge key by key, anything else (arrays too) is replaced.
/// </summary>
internal sealed class SparkServerJobConfig(IOptions<SparkOptions> options)
{
    private readonly JsonObject _config = Read(options.Value);

    /// <summary><paramref name="posted"/> merged over the server's config (a new object; neither input changes).</summary>
    public JsonObject Under(JsonObject posted) => SparkConfigParser.Merge(posted, _config);

    /// <summary>The configured job config (empty when none is set).</summary>
    /// <exception cref="FormatException">A setting is unreadable or outside the config syntax; the message names it.</exception>
    public static JsonObject Read(SparkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new JsonObject();
        if (!string.IsNullOrWhiteSpace(options.JobConfigFile))
        {
            config = Parse($"{SparkOptions.Section}:JobConfigFile", ReadFile(options.JobConfigFile, options.MaxConfigBytes));
        }

        if (!string.IsNullOrWhiteSpace(options.JobConfig))
        {
            if (Encoding.UTF8.GetByteCount(options.JobConfig) > options.MaxConfigBytes)
            {
                throw new FormatException($"{SparkOptions.Section}:JobConfig is larger than MaxConfigBytes ({options.MaxConfigBytes})");
            }

            config = SparkConfigParser.Merge(Parse($"{SparkOptions.Section}:JobConfig", options.JobConfig), config);
        }

        return config;
    }

    private static string ReadFile(string path, int limit)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        if (!file.Exists)
        {
            throw new FormatException($"{SparkOptions.Section}:JobConfigFile: {file.FullName} does not exist");
        }

        if (file.Length > limit)
        {
            throw new FormatException($"{SparkOptions.Section}:JobConfigFile: {file.FullName} is larger than MaxConfigBytes ({limit})");
        }

        return File.ReadAllText(file.FullName, Encoding.UTF8);
    }

    private static JsonObject Parse(string setting, string text)
    {
        try
        {
            return SparkConfigParser.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{setting} cannot be parsed: {e.Message}", e);
        }
    }
}
