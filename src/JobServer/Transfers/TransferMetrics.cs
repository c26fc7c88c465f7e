using System.Diagnostics.Metrics;
using JobServer.Calls;

namespace JobServer.Transfers;

/// <summary>Bytes moved by <c>/_upload</c> (read by the job) and <c>/_download</c> (sent to the client), on the daemon's meter.</summary>
internal sealed class TransferMetrics
{
    private static readonly KeyValuePair<string, object?> Upload = new("direction", "upload");
    private static readonly KeyValuePair<string, object?> Download = new("direction", "download");

    private readonly Counter<long> _bytes;

    public TransferMetrics(IMeterFactory meters) =>
        _bytes = DaemonMeter.Create(meters).CreateCounter<long>("jobserver.transfers", "By",
            "Bytes of uploads read by their jobs and of downloads sent to clients, by direction");

    public void Uploaded(long bytes) => _bytes.Add(bytes, Upload);

    public void Downloaded(long bytes) => _bytes.Add(bytes, Download);
}
