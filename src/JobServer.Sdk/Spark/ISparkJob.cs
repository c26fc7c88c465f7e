namespace JobServer.Sdk.Spark;

/// <summary>
/// A job in spark-jobserver's shape (its <c>validate</c> / <c>runJob</c> pair), started by
/// <c>POST /jobs?appName=&amp;classPath=</c> from an uploaded .NET binary. The daemon creates the class with its
/// parameterless constructor, calls <see cref="Validate"/> with the job's config and, when that accepts it,
/// <see cref="RunAsync"/> with the input it returned; the result must serialize with <c>System.Text.Json</c>.
/// </summary>
public interface ISparkJob
{
    /// <summary>
    /// Checks the config before the job runs and extracts what <see cref="RunAsync"/> needs: a
    /// <see cref="SparkValidation.Valid"/> input, or the problems (the caller gets <c>VALIDATION FAILED</c>).
    /// </summary>
    SparkValidation Validate(ISparkJobContext context, SparkConfig config);

    /// <summary>Runs the job with the input <see cref="Validate"/> returned; answers a JSON-serializable result.</summary>
    Task<object?> RunAsync(ISparkJobContext context, object? input);
}
