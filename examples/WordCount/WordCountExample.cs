using JobServer.Sdk.Spark;

namespace spark.jobserver;

/// <summary>
/// spark-jobserver's <c>WordCountExample</c>: counts the space-separated words of <c>input.string</c>, so
/// <c>input.string = a b c a b see</c> gives <c>{"a": 2, "b": 2, "c": 1, "see": 1}</c>.
/// </summary>
public sealed class WordCountExample : ISparkJob
{
    /// <summary>Refuses a config without <c>input.string</c>, as the Scala example does.</summary>
    public SparkValidation Validate(ISparkJobContext context, SparkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.GetString("input.string") is { } text
            ? SparkValidation.Valid(text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : SparkValidation.Invalid("No input.string config param");
    }

    /// <summary>The count of each word, in the order the words first appear.</summary>
    public Task<object?> RunAsync(ISparkJobContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in (string[])input!)
        {
            context.Job.Aborted.ThrowIfCancellationRequested();
            counts[word] = counts.GetValueOrDefault(word) + 1;
        }

        return Task.FromResult<object?>(counts);
    }
}
