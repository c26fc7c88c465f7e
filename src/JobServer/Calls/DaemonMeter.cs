using System.Diagnostics.Metrics;

namespace JobServer.Calls;

/// <summary>
/// The daemon's one <see cref="Meter"/> name ("JobServer"): each capability makes its own instruments on it
/// (<c>Jobs/JobMetrics</c>, <c>Protocol/WebSockets/WebSocketMetrics</c>, <c>Transfers/TransferMetrics</c>) through
/// the container's <see cref="IMeterFactory"/>, so a test host's meters are its own and disposed with it.
/// </summary>
internal static class DaemonMeter
{
    public const string Name = "JobServer";

    /// <summary>Bucket bounds in seconds for latencies from sub-millisecond commits to five-minute jobs.</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    public static Meter Create(IMeterFactory factory) => factory.Create(Name);

    /// <summary>A histogram in seconds with <see cref="SecondsBuckets"/> (OpenTelemetry's default bounds are for ms).</summary>
    public static Histogram<double> SecondsHistogram(this Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
}
