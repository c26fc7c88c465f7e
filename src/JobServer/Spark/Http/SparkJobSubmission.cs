using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using JobServer.Spark.Jobs;

namespace JobServer.Spark.Http;

/// <summary>
/// What <c>POST /jobs</c> asks for, read as spark-jobserver reads it (reference §1.2): the body is the job's
/// config (HOCON subset or JSON); <c>appName</c> + <c>classPath</c>, else <c>cp</c> + <c>mainClass</c> (from
/// the query or the config), in its resolution order and with its 400 messages; <c>sync</c>, <c>timeout</c>
/// (seconds, default 10) and <c>context</c>. The config is the posted one merged over the server's, and names
/// the binaries too (<c>cp</c>, <c>mainClass</c>, <c>dependent-jar-uris</c>), as spark reads them from the merge.
/// <see cref="AppName"/> is the first binary of the job's class path, <see cref="Dependencies"/> the rest in order.
/// </summary>
internal sealed record SparkJobSubmission(
    string AppName, string ClassName, JsonObject Config, string? Context, bool Sync, TimeSpan Timeout,
    IReadOnlyList<string> Dependencies)
{
    /// <summary>spark-jobserver's <c>DefaultSyncTimeout</c>.</summary>
    private const int DefaultTimeoutSeconds = 10;

    /// <summary>The longest a sync call may wait (a longer job answers 202 with its report, never a lost id).</summary>
    private const int MaxTimeoutSeconds = 3600;

    /// <summary>The submission, or the answer that refuses it (nothing was created).</summary>
    public static async Task<(SparkJobSubmission? Submission, IResult? Refusal)> ReadAsync(HttpContext context,
        int maxConfigBytes, SparkServerJobConfig serverConfig)
    {
        ArgumentNullException.ThrowIfNull(serverConfig);
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        if (!TryFlag(query["sync"], out var sync) || !TryTimeout(query["timeout"], out var timeout))
        {
            return (null, SparkResponses.Error(StatusCodes.Status400BadRequest,
                "The query parameters sync (true or false) and timeout (1 to 3600 seconds) are malformed"));
        }

        var body = await ReadBodyAsync(context, maxConfigBytes);
        if (body is null)
        {
            return (null, SparkResponses.Error(StatusCodes.Status413PayloadTooLarge,
                $"The job config is larger than the limit of {maxConfigBytes} bytes"));
        }

        JsonObject config;
        try
        {
            config = serverConfig.Under(SparkConfigParser.Parse(body));
        }
        catch (FormatException e)
        {
            return (null, CannotParse(e.Message));
        }

        var names = Binaries(query["appName"].ToString(), query["cp"].ToString(), config);
        string? className;
        if (query["appName"].ToString().Length > 0)
        {
            className = query["classPath"].ToString() is { Length: > 0 } classPath ? classPath : null;
            if (className is null)
            {
                return (null, CannotParse("classPath parameter is missing!"));
            }
        }
        else if (names.Count > 0)
        {
            className = query["mainClass"].ToString() is { Length: > 0 } mainClass ? mainClass : StringOf(config["mainClass"]);
            if (className is null)
            {
                return (null, CannotParse("mainClass parameter is missing!"));
            }
        }
        else
        {
            return (null, CannotParse("To start the job appName or cp parameters should be configured!"));
        }

        if (SparkClassPath.Refusal(names) is { } badClassPath)
        {
            return (null, badClassPath);
        }

        var sparkContext = query["context"].ToString() is { Length: > 0 } named ? named : null;
        return (new SparkJobSubmission(names[0], className, config, sparkContext, sync, timeout, names.GetRange(1, names.Count - 1)), null);
    }

    private static IResult CannotParse(string message) =>
        SparkResponses.Error(StatusCodes.Status400BadRequest, $"Cannot parse config: {message}");

    /// <summary>
    /// The binaries in class-path order: <c>appName</c> then the config's <c>dependent-jar-uris</c>, else the
    /// query's <c>cp</c> list, else the config's. spark puts <c>dependent-jar-uris</c> before <c>appName</c>; we
    /// put the named app first, so when two binaries define the class, the one the caller named wins.
    /// </summary>
    private static List<string> Binaries(string appName, string cp, JsonObject config)
    {
        List<string> names = appName.Length > 0 ? [appName, .. ListOf(config["dependent-jar-uris"])]
            : cp.Length > 0 ? [.. cp.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : ListOf(config["cp"]);
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A config list (<c>["a", "b"]</c>) or comma-separated text (<c>"a,b"</c>), as spark's <c>getSeqFromConfig</c>.</summary>
    private static List<string> ListOf(JsonNode? node) => node switch
    {
        JsonArray list => [.. list.Select(StringOf).OfType<string>()],
        JsonValue one when StringOf(one) is { } names => [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        _ => [],
    };

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static bool TryFlag(string? value, out bool flag)
    {
        flag = false;
        return string.IsNullOrEmpty(value) || bool.TryParse(value, out flag);
    }

    private static bool TryTimeout(string? value, out TimeSpan timeout)
    {
        timeout = TimeSpan.FromSeconds(DefaultTimeoutSeconds);
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds is < 1 or > MaxTimeoutSeconds)
        {
            return false;
        }

        timeout = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The body as text, or null past <paramref name="limit"/> bytes (read no further than that).</summary>
    internal static async Task<string?> ReadBodyAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
