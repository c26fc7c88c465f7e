namespace JobServer.Bench;

/// <summary>
/// Sizes for a run. <c>--quick</c> shrinks everything so all scenarios finish in well under a minute (a CI smoke
/// test); the full sizes are what docs/benchmarks.md reports.
/// </summary>
internal sealed record BenchSettings(bool Quick)
{
    /// <summary>
    /// Measured rounds per figure (after the warm-up that is thrown away); <c>BENCH_ROUNDS</c> overrides it (long
    /// runs to attach a profiler to).
    /// </summary>
    public int Rounds => int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), out var rounds) && rounds > 0
        ? rounds
        : Quick ? 2 : 5;

    /// <summary>
    /// How long a throughput measurement warms up before its rounds count (at least one round);
    /// <c>BENCH_WARMUP_SECONDS</c> overrides it.
    /// </summary>
    public TimeSpan WarmUp => TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? seconds
            : Quick ? 0 : 10);

    public int SequentialCalls => Quick ? 300 : 5_000;

    public int PipelinedCalls => Quick ? 2_000 : 50_000;

    public int MultiConnectionCalls => Quick ? 4_000 : 100_000;

    public int Jobs => Quick ? 200 : 10_000;

    public int LockedJobs => Quick ? 100 : 1_000;

    public int PickupSamples => Quick ? 20 : 1_000;

    public int FanOutConnections => Quick ? 50 : 1_000;

    public int FanOutJobs => Quick ? 3 : 30;

    public long TransferBytes => Quick ? 64L << 20 : 1L << 30;

    public int ColdStarts => Quick ? 1 : 5;

    public int SqliteRows => Quick ? 10_000 : 100_000;

    /// <summary>Rows for the one-commit-per-row ceiling: each commit is an fsync, milliseconds on a real disk.</summary>
    public int SqliteSingleRows => Quick ? 100 : 2_000;

    /// <summary>Whether the cold-start scenario throws a first round away (page cache, disk caches).</summary>
    public bool ColdStartWarmUp => !Quick;

    /// <summary>Agents (and destinations) of the batch fan-out job; the goal is for 1,000.</summary>
    public int BatchDestinations => Quick ? 100 : 1_000;

    /// <summary>Agents that carry the sustained batch load (issue 16: 100).</summary>
    public int BatchSustainedAgents => Quick ? 20 : 100;

    /// <summary>Entries of the sustained batch job: tasks per destination in one round (100 × 100 = 10,000, the per-job maximum).</summary>
    public int BatchTasksPerDestination => Quick ? 10 : 100;

    /// <summary>How long to wait for submitted jobs to finish before the round fails.</summary>
    public TimeSpan JobTimeout => TimeSpan.FromSeconds(Quick ? 20 : 120);
}
