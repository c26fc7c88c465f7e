namespace JobServer.Bench.Reliability;

/// <summary>The probes the reliability scenario runs, in order (one line each).</summary>
internal static class ReliabilityProbes
{
    public static readonly IReadOnlyList<ReliabilityProbe> All =
    [
    ];
}
