using System.Diagnostics;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Infrastructure;

/// <summary>Warms a measurement up, runs it <see cref="BenchSettings.Rounds"/> times, and summarises.</summary>
internal static class Rounds
{
    /// <summary>One round's figure (a rate or a size) and the latency samples it saw, if any.</summary>
    public readonly record struct Sample(double Value, IReadOnlyCollection<double>? LatenciesMs = null);

    /// <param name="afterWarmUp">Called once the warm-up is over, before the measured rounds.</param>
    public static async Task<Figure> MeasureAsync(BenchSettings settings, string unit, Func<Task<Sample>> round, bool warmUp = true,
        Action? afterWarmUp = null)
    {
        if (warmUp)
        {
            await WarmUpAsync(settings, round);
        }

        afterWarmUp?.Invoke();

        var samples = new List<Sample>();
        for (var i = 0; i < settings.Rounds; i++)
        {
            samples.Add(await round());
        }

        return Summarise(samples, unit);
    }

    /// <summary>
    /// Measures two things in alternating rounds (A, B, A, B, …) after one warm-up each, so a burst of noise
    /// from elsewhere on the machine lands on both sides instead of skewing their ratio.
    /// </summary>
    /// <param name="afterWarmUp">Called once both warm-ups are over, before the measured rounds.</param>
    public static async Task<(Figure A, Figure B)> MeasurePairAsync(
        BenchSettings settings, string unit, Func<Task<Sample>> roundA, Func<Task<Sample>> roundB, Action? afterWarmUp = null)
    {
        await WarmUpAsync(settings, roundA);
        await WarmUpAsync(settings, roundB);
        afterWarmUp?.Invoke();
        var a = new List<Sample>();
        var b = new List<Sample>();
        for (var i = 0; i < settings.Rounds; i++)
        {
            a.Add(await roundA());
            b.Add(await roundB());
        }

        return (Summarise(a, unit), Summarise(b, unit));
    }

    /// <summary>
    /// Rounds thrown away until <see cref="BenchSettings.WarmUp"/> has passed (at least one): a .NET process
    /// keeps compiling hot code (tiered JIT, PGO) for seconds after it starts, and a single short round measured
    /// that, not the steady state a long-running daemon is in. Both sides of a comparison warm up alike.
    /// </summary>
    private static async Task WarmUpAsync(BenchSettings settings, Func<Task<Sample>> round)
    {
        var until = Stopwatch.GetTimestamp() + (long)(settings.WarmUp.TotalSeconds * Stopwatch.Frequency);
        do
        {
            await round();
        }
        while (Stopwatch.GetTimestamp() < until);
    }

    private static Figure Summarise(List<Sample> samples, string unit)
    {
        var values = samples.Select(s => s.Value).ToList();
        var latencies = samples.SelectMany(s => s.LatenciesMs ?? []).ToList();
        return latencies.Count == 0
            ? new Figure(Stats.Median(values), unit, values.Count)
            : new Figure(Stats.Median(values), unit, values.Count, Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99));
    }

    /// <summary>A latency figure: the value is the median (p50) of all samples.</summary>
    public static Figure Latency(IReadOnlyCollection<double> samplesMs, int rounds) =>
        new(Stats.Median(samplesMs), "ms", rounds, Stats.Percentile(samplesMs, 50), Stats.Percentile(samplesMs, 99));
}
