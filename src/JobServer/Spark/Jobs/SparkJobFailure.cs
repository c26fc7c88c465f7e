using System.Text.Json.Nodes;
using JobServer.Sdk.Errors;

namespace JobServer.Spark.Jobs;

/// <summary>
/// The typed errors of <c>spark.run</c>: a <see cref="CallError"/> whose <c>extra</c> carries spark-jobserver's
/// status label (<c>VALIDATION FAILED</c>, <c>JOB LOADING FAILED</c>) and its exception map, so the <c>/jobs</c>
/// door answers §1.2's body whether the error came from the call-time validator or from the job's worker (the
/// job's <c>exc_info.extra</c> keeps it across a restart).
/// </summary>
internal static class SparkJobFailure
{
    /// <summary>The key of <c>extra</c> that holds spark's status label.</summary>
    public const string StatusKey = "spark_status";

    public const string ValidationFailed = "VALIDATION FAILED";

    public const string LoadingFailed = "JOB LOADING FAILED";

    public static CallError Validation(IReadOnlyList<string> problems) =>
        Labelled(ValidationFailed, string.Join("; ", problems), "spark.jobserver.api.ValidationProblem");

    public static CallError Loading(string message) =>
        Labelled(LoadingFailed, message, "spark.jobserver.JobLoadingError");

    /// <summary>spark's 404 <c>classPath &lt;class&gt; not found</c>.</summary>
    public static CallError ClassNotFound(string className) =>
        new($"classPath {className} not found", Errno.ENOENT);

    /// <summary>A job's own exception from outside .NET (a Python job's): its class and stack for the report.</summary>
    public static CallError Raised(string message, string errorClass, string stack) =>
        new(message, Errno.EFAULT, new JsonObject { ["message"] = message, ["errorClass"] = errorClass, ["stack"] = stack });

    /// <summary>The exception map an error's <c>extra</c> carries (labelled or <see cref="Raised"/>), if any.</summary>
    public static JsonObject? ExceptionOf(JsonNode? extra) =>
        extra is JsonObject { } map && map["errorClass"] is not null
            ? new JsonObject
            {
                ["message"] = map["message"]?.DeepClone(),
                ["errorClass"] = map["errorClass"]?.DeepClone(),
                ["stack"] = map["stack"]?.DeepClone() ?? "",
            }
            : null;

    /// <summary>What the worker threw while making the job ready, as its typed error.</summary>
    public static CallError Of(SparkJobLoadException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.ClassNotFound ? new CallError(e.Message, Errno.ENOENT) : Loading(e.Message);
    }

    /// <summary>The label and exception map of an error's <c>extra</c>, when it is one of ours.</summary>
    public static (string Label, JsonObject Exception)? Read(JsonNode? extra) =>
        extra is JsonObject { } map && map[StatusKey]?.GetValue<string>() is { } label
            ? (label, ExceptionOf(map)!)
            : null;

    private static CallError Labelled(string label, string message, string errorClass) =>
        new($"{label}: {message}", Errno.EINVAL, new JsonObject
        {
            [StatusKey] = label,
            ["message"] = message,
            ["errorClass"] = errorClass,
        });
}
