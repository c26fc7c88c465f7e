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

/// <summary>A Spark job that answers the id of the process it runs in: jobs of one context share it.</summary>
public sealed class ProcessIdJob : ISparkJob
{
    public SparkValidation Validate(ISparkJobContext context, SparkConfig config) => SparkValidation.Valid(null);

    public Task<object?> RunAsync(ISparkJobContext context, object? input) =>
        Task.FromResult<object?>(new Dictionary<string, object>
        {
            ["pid"] = Environment.ProcessId,
            ["context"] = context?.ContextName ?? "",
        });
}

/// <summary>A Spark job that ignores its abort: only its process ending stops it (a context's stop in progress).</summary>
public sealed class IgnoresAbortJob : ISparkJob
{
    public SparkValidation Validate(ISparkJobContext context, SparkConfig config) => SparkValidation.Valid(null);

    public async Task<object?> RunAsync(ISparkJobContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Job.SetProgress(0, "ignoring any abort");
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
        return null;
    }
}

/// <summary>A Spark job that counts its runs in a static: the count goes on while its process reuses the loaded version.</summary>
public sealed class RunCountJob : ISparkJob
{
    private static int _runs;

    public SparkValidation Validate(ISparkJobContext context, SparkConfig config) => SparkValidation.Valid(null);

    public Task<object?> RunAsync(ISparkJobContext context, object? input) =>
        Task.FromResult<object?>(Interlocked.Increment(ref _runs));
}
