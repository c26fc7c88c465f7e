using JobServer.Sdk.Spark;

namespace JobServer.TestPlugin.Spark;

/// <summary>A Spark job that reports it runs, then waits to be killed (<c>DELETE /jobs/&lt;id&gt;</c>).</summary>
public sealed class WaitForKillJob : ISparkJob
{
    public SparkValidation Validate(ISparkJobContext context, SparkConfig config) => SparkValidation.Valid(null);

    public async Task<object?> RunAsync(ISparkJobContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Job.SetProgress(0, "waiting to be killed");
        await Task.Delay(Timeout.Infinite, context.Job.Aborted);
        return null;
    }
}

/// <summary>A Spark job that fails while running (spark's "test-error"), for the sync error form.</summary>
public sealed class FailingJob : ISparkJob
{
    public SparkValidation Validate(ISparkJobContext context, SparkConfig config) => SparkValidation.Valid(null);

    public Task<object?> RunAsync(ISparkJobContext context, object? input) =>
        throw new InvalidOperationException("test-error");
}

/// <summary>A public class that is not a Spark job: loading it fails as <c>JOB LOADING FAILED</c>.</summary>
public sealed class NotAJob;
