namespace JobServer.Bench.Infrastructure;

/// <summary>Medians and percentiles (nearest rank) over samples the harness collected itself.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);

    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Milliseconds between two <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
    public static double Ms(long from, long to) =>
        (to - from) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
