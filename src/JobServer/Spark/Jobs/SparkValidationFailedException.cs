namespace JobServer.Spark.Jobs;

/// <summary>The job's own <c>Validate</c> refused its config: spark's 400 <c>VALIDATION FAILED</c>.</summary>
internal sealed class SparkValidationFailedException(IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
