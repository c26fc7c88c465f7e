using System.Globalization;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Spark.Jobs;

namespace JobServer.Spark.Http;

/// <summary>
/// spark-jobserver's job report (reference §1.2, <c>getJobReport</c>) built from a <c>spark.run</c> job's
/// <c>core.get_jobs</c> document: the engine's states become spark's (WAITING and RUNNING are RUNNING, SUCCESS
/// FINISHED, FAILED ERROR, ABORTED KILLED), an ended job's error its <c>{message, errorClass, stack}</c>.
/// </summary>
internal static class SparkJobReport
{
    public const string Finished = "FINISHED";
    public const string Error = "ERROR";
    public const string Killed = "KILLED";
    public const string Running = "RUNNING";

    private const string NotDoneYet = "Job not done yet";

    private const string KilledClass = "spark.jobserver.JobManagerActor$JobKilledException";

    /// <summary>spark's status of an engine state.</summary>
    public static string StatusOf(string? state) => state switch
    {
        "SUCCESS" => Finished,
        "FAILED" => Error,
        "ABORTED" => Killed,
        _ => Running,
    };

    /// <summary>The engine states of a spark status filter (<c>GET /jobs?status=</c>, upper-cased as spark does).</summary>
    public static string[] StatesOf(string status) => status.ToUpperInvariant() switch
    {
        Finished => ["SUCCESS"],
        Error => ["FAILED"],
        Killed => ["ABORTED"],
        Running => ["WAITING", "RUNNING"],
        _ => [],
    };

    /// <summary>
    /// The report; <paramref name="started"/> is the async <c>POST</c>'s answer, which describes the job as it
    /// started (spark answers on <c>JobStarted</c>): <c>STARTED</c>, not done yet, even when a quick job has ended
    /// by the time the answer is written.
    /// </summary>
    public static JsonObject Of(JsonObject job, bool started = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sparkId = SparkJobIds.ToSpark(job["id"]!.GetValue<long>());
        var arguments = job["arguments"] as JsonArray;
        var className = arguments?[1]?.GetValue<string>() ?? "";
        var status = StatusOf(job["state"]?.GetValue<string>());
        var report = new JsonObject
        {
            ["jobId"] = sparkId,
            ["startTime"] = Date(job["time_started"]),
            ["classPath"] = className,
            ["context"] = arguments?[3]?.GetValue<string>() ?? SparkJobIds.AdHocContextName(sparkId, className),
            // A named context's id was set by the door; an ad-hoc context lives and dies with its one job: the job's id.
            ["contextId"] = arguments?.Count > 7 && arguments[7] is JsonValue contextId ? contextId.GetValue<string>() : sparkId,
            ["duration"] = started ? NotDoneYet : Duration(job),
            ["status"] = started ? "STARTED" : status,
        };
        if (!started && (status is Error or Killed))
        {
            report["result"] = ExceptionOf(job);
        }

        return report;
    }

    /// <summary>An ended job's error as spark's exception map (a killed job's is <c>JobKilledException</c>).</summary>
    public static JsonObject ExceptionOf(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job["state"]?.GetValue<string>() == "ABORTED")
        {
            return new JsonObject
            {
                ["message"] = $"Job {SparkJobIds.ToSpark(job["id"]!.GetValue<long>())} killed",
                ["errorClass"] = KilledClass, ["stack"] = "",
            };
        }

        var excInfo = job["exc_info"] as JsonObject;
        if (SparkJobFailure.ExceptionOf(excInfo?["extra"]) is { } carried)
        {
            return carried;
        }

        return new JsonObject
        {
            ["message"] = ErrorMapper.WithoutErrname(job["error"]?.GetValue<string>() ?? "Job failed"),
            ["errorClass"] = excInfo?["type"]?.GetValue<string>() ?? "",
            ["stack"] = job["exception"]?.GetValue<string>() ?? "",
        };
    }

    /// <summary>spark's <c>DATE_PATTERN</c> in UTC: <c>2016-06-19T16:27:12.196Z</c>.</summary>
    private static string Date(JsonNode? date) =>
        DateTimeOffset.FromUnixTimeMilliseconds(date?["$date"]?.GetValue<long>() ?? 0).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>"6.341 secs"</c> (Scala's <c>ms / 1000.0</c>), or <c>"Job not done yet"</c> while it runs.</summary>
    private static string Duration(JsonObject job)
    {
        if (job["time_finished"]?["$date"]?.GetValue<long>() is not { } finished)
        {
            return NotDoneYet;
        }

        var started = job["time_started"]?["$date"]?.GetValue<long>() ?? finished;
        return ((finished - started) / 1000.0).ToString("0.0##", CultureInfo.InvariantCulture) + " secs";
    }
}
