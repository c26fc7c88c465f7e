using System.Text.Json.Nodes;
using JobServer.Spark.Http;
using JobServer.Spark.Jobs;

namespace JobServer.Spark.Callbacks;

/// <summary>
/// spark-jobserver's callback bodies (reference §1.3) from an ended <c>spark.run</c> job's <c>core.get_jobs</c>
/// document: success <c>{"jobId","result"}</c>, failure <c>{"jobId","status":"ERROR","result":{message,
/// errorClass, stack}}</c>, and none for a killed job.
/// </summary>
internal static class SparkCallbackPayload
{
    /// <summary>The body to POST, or null when nothing is sent (a killed job).</summary>
    public static JsonObject? Of(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sparkId = SparkJobIds.ToSpark(job["id"]!.GetValue<long>());
        return SparkJobReport.StatusOf(job["state"]?.GetValue<string>()) switch
        {
            SparkJobReport.Finished => new JsonObject { ["jobId"] = sparkId, ["result"] = job["result"]?.DeepClone() },
            SparkJobReport.Error => new JsonObject
            {
                ["jobId"] = sparkId, ["status"] = SparkJobReport.Error, ["result"] = SparkJobReport.ExceptionOf(job),
            },
            _ => null,
        };
    }
}
