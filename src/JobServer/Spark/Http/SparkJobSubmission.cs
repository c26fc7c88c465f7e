using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using JobServer.Spark.Jobs;

namespace JobServer.Spark.Http;

/// <summary>
/// What <c>POST /jobs</c> asks for, read as spark-jobserver reads it (reference §1.2): the body is the job's
/// config (HOCON subset or JSON); <c>appName</c> + <c>classPath</c>, else <c>cp</c> + <c>mainClass</c> (from
/// the query or the config), in its resolution order and with its 400 messages; <c>sync</c>, <c>timeout</c>
/// (seconds, default 10) and <c>context</c>.
/// </summary>
internal sealed record SparkJobSubmission(
    string AppName, string ClassName, JsonObject Config, string? Context, bool Sync, TimeSpan Timeout)
{
    /// <summary>spark-jobserver's <c>DefaultSyncTimeout</c>.</summary>
    private const int DefaultTimeoutSeconds = 10;

    /// <summary>The longest a sync call may wait (a longer job answers 202 with its report, never a lost id).</summary>
    private const int MaxTimeoutSeconds = 3600;

    /// <summary>The submission, or the answer that refuses it (nothing was created).</summary>
    public static async Task<(SparkJobSubmission? Submission, IResult? Refusal)> ReadAsync(HttpContext context,
        int maxConfigBytes)
    {
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
            config = SparkConfigParser.Parse(body);
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

        if (names.Count != 1 || names[0].Contains(':', StringComparison.Ordinal) || names[0].Contains('/', StringComparison.Ordinal))
        {
            return (null, SparkResponses.Exception(StatusCodes.Status400BadRequest, SparkJobFailure.LoadingFailed,
                new JsonObject
                {
                    ["message"] = "A .NET job runs from exactly one uploaded binary (POST /binaries/<name>); URIs are not supported",
                    ["errorClass"] = "spark.jobserver.JobLoadingError", ["stack"] = "",
                }));
        }

        var sparkContext = query["context"].ToString() is { Length: > 0 } named ? named : null;
        return (new SparkJobSubmission(names[0], className, config, sparkContext, sync, timeout), null);
    }

    private static IResult CannotParse(string message) =>
        SparkResponses.Error(StatusCodes.Status400BadRequest, $"Cannot parse config: {message}");

    /// <summary>The binaries: <c>appName</c>, else the query's <c>cp</c> list, else the config's.</summary>
    private static List<string> Binaries(string appName, string cp, JsonObject config)
    {
        if (appName.Length > 0)
        {
            return [appName];
        }

        if (cp.Length > 0)
        {
            return [.. cp.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return config["cp"] switch
        {
            JsonArray list => [.. list.Select(StringOf).OfType<string>()],
            JsonValue one when StringOf(one) is { } name => [.. name.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => [],
        };
    }

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
