namespace JobServer.Bench.Reporting;

/// <summary>
/// One measured figure: the median over rounds of <see cref="Value"/> (in <see cref="Unit"/>), optionally with
/// latency percentiles pooled over every sample of every round; or why there is no figure.
/// </summary>
internal sealed record Figure(double Value, string Unit, int Rounds, double? P50Ms = null, double? P99Ms = null)
{
    /// <summary>Set when the figure could not be measured: "skipped: …" or "failed: …".</summary>
    public string? Missing { get; init; }

    public bool IsFailure => Missing?.StartsWith("failed", StringComparison.Ordinal) == true;

    public static Figure Skipped(string reason) => new(double.NaN, "", 0) { Missing = "skipped: " + reason };

    public static Figure Failed(string reason) => new(double.NaN, "", 0) { Missing = "failed: " + reason };

    public string ValueText => Missing ?? $"{Format(Value)} {Unit}";

    public string LatencyText => P50Ms is null ? "" : $"{FormatMs(P50Ms.Value)} / {FormatMs(P99Ms ?? double.NaN)}";

    public static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 100 => value.ToString("N0"),
        >= 10 => value.ToString("N1"),
        _ => value.ToString("N2"),
    };

    private static string FormatMs(double ms) => ms < 1 ? $"{ms:N3} ms" : $"{ms:N2} ms";
}
