namespace JobServer.Bench.Reporting;

/// <summary>
/// One line of a scenario's table: our figure beside the ceiling or peer it is compared with. The ratio is
/// ours ÷ theirs (for throughput, 1.0 means we reach the ceiling; for latency and memory, lower is better).
/// </summary>
internal sealed record Row(string Measurement, Figure? Ours, string? PeerName = null, Figure? Peer = null, string? Note = null)
{
    public string RatioText =>
        Ours is { Missing: null } ours && Peer is { Missing: null } peer && peer.Value > 0
            ? $"{ours.Value / peer.Value:N2}×"
            : "";

    public bool IsFailure => Ours?.IsFailure == true || Peer?.IsFailure == true;
}
