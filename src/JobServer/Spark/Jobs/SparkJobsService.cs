using System.ComponentModel;
using System.Text.Json.Nodes;
using JobServer.Sdk;

namespace JobServer.Spark.Jobs;

/// <summary>
/// <c>spark.run</c>: one Spark job as an ordinary job (in <c>core.get_jobs</c>, its events to every subscriber,
/// <c>core.job_abort</c> = <c>DELETE /jobs/&lt;id&gt;</c>), its body in a worker process that loads the binary
/// version in its own load context, so a job's code never runs in the daemon and dies with its job. Private: the
/// binary's file is resolved by the <c>/jobs</c> door at submit (the version current then) and checked by
/// <see cref="SparkRunValidator"/>; a caller never names a file. Its class is created in each worker, so it takes
/// nothing from the daemon's container.
/// </summary>
[Namespace("spark")]
internal sealed class SparkJobsService : Service
{
    [Private]
    [Job(Process = true, Abortable = true, Validator = typeof(SparkRunValidator), Description = "Spark job {1} from {0}")]
    [Description("Runs the job class class_path of binary app_name with config (POST /jobs); binary_path and " +
                 "binary_type are the version current at submit, resolved by the daemon: a .NET ISparkJob (Dll, " +
                 "Zip), a Python class (Wheel, Egg) or a Java class (Jar). dependencies: the rest of the job's " +
                 "class path in order, [{name, path, type}]. context names a context (POST /contexts) whose " +
                 "process runs the job, context_id its id then; null for an ad-hoc context. Answers the job's result as JSON.")]
    public async Task<JsonNode?> Run(IJobContext job, string app_name, string class_path, JsonObject config,
        string? context, string binary_path, string binary_type, JsonArray? dependencies = null,
        string? context_id = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var sparkId = SparkJobIds.ToSpark(job.JobId);
        var sparkContext = new SparkJobContext(sparkId, context ?? SparkJobIds.AdHocContextName(sparkId, class_path), job);
        var classPath = SparkDependency.ListOf(dependencies).Select(d => d.Path).Prepend(binary_path).ToArray();
        if (binary_type == nameof(Binaries.SparkBinaryType.Jar))
        {
            return await SparkJavaJob.RunAsync(classPath, class_path, config, sparkContext);
        }

        if (SparkDependency.RuntimeOf(binary_type) != SparkDependency.RuntimeOf(nameof(Binaries.SparkBinaryType.Dll)))
        {
            return await SparkPythonJob.RunAsync(classPath, class_path, config, sparkContext);
        }

        try
        {
            var sparkJob = SparkJobLoader.Load(classPath, class_path);
            return await SparkJobExecution.RunAsync(sparkJob, sparkContext, config);
        }
        catch (SparkJobLoadException e)
        {
            throw SparkJobFailure.Of(e);
        }
        catch (SparkValidationFailedException e)
        {
            throw SparkJobFailure.Validation(e.Problems);
        }
    }
}
