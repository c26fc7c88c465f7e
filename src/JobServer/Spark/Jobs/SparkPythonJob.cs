using System.Text.Json.Nodes;

namespace JobServer.Spark.Jobs;

/// <summary>
/// A Python Spark job (a class in an uploaded wheel or egg): <c>python3 -I Spark/Python/spark_runner.py</c>, the
/// request as JSON on stdin. <c>-I</c> isolates it from <c>PYTHON*</c> variables and the user's site-packages;
/// only the job's class path (its archives, in order) is added to <c>sys.path</c>.
/// </summary>
internal static class SparkPythonJob
{
    /// <param name="classPath">The archives, the job's own first (they go on <c>sys.path</c> in this order).</param>
    public static Task<JsonNode?> RunAsync(IReadOnlyList<string> classPath, string className, JsonObject config,
        SparkJobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = new JsonObject
        {
            ["config"] = config.DeepClone(), ["jobId"] = context.JobId, ["contextName"] = context.ContextName,
        };
        return SparkProcessJob.RunAsync("python3",
            ["-I", SparkProcessJob.RunnerPath("Python", "spark_runner.py"), classPath[0], className, .. classPath.Skip(1)],
            request.ToJsonString(), context);
    }
}
