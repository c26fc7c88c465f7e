using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Sdk.Spark;

namespace JobServer.Spark.Jobs;

/// <summary>
/// One run of a loaded Spark job, in spark-jobserver's order: validate the config (a refusal is
/// <see cref="SparkValidationFailedException"/>, and the job never runs), then run with the input it returned and
/// turn the result into JSON. Serializing here means a result that is not JSON-serializable fails the job, not
/// the daemon reading it.
/// </summary>
internal static class SparkJobExecution
{
    public static async Task<JsonNode?> RunAsync(ISparkJob job, ISparkJobContext context, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(job);
        var validation = job.Validate(context, new SparkConfig(config));
        if (!validation.IsValid)
        {
            throw new SparkValidationFailedException(validation.Problems);
        }

        var result = await job.RunAsync(context, validation.Input);
        return result is null ? null : JsonSerializer.SerializeToNode(result, result.GetType());
    }
}
