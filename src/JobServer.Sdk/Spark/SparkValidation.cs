namespace JobServer.Sdk.Spark;

/// <summary>
/// What <see cref="ISparkJob.Validate"/> answers: the job's input, or the problems that refuse it (spark-jobserver's
/// <c>JobData Or Every[ValidationProblem]</c>).
/// </summary>
public sealed class SparkValidation
{
    private SparkValidation(object? input, IReadOnlyList<string> problems)
    {
        Input = input;
        Problems = problems;
    }

    /// <summary>The input handed to <see cref="ISparkJob.RunAsync"/>; null when <see cref="IsValid"/> is false.</summary>
    public object? Input { get; }

    /// <summary>Why the config was refused; empty when it was accepted.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether the job may run.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>The config is fine; <paramref name="input"/> is what the job runs with.</summary>
    public static SparkValidation Valid(object? input) => new(input, []);

    /// <summary>The config is refused for <paramref name="problems"/> (at least one).</summary>
    public static SparkValidation Invalid(params string[] problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Length == 0
            ? throw new ArgumentException("Give at least one problem", nameof(problems))
            : new SparkValidation(null, problems);
    }
}
