using System.Net;
using JobServer.Sessions;

namespace JobServer.Batch;

/// <summary>
/// A device agent connected now: the session that registered <see cref="Destination"/>. Its tasks go to that
/// session only. <see cref="OfferedTaskId"/> is the task last pushed to it and not yet finished, so a destination
/// has at most one task in flight; a new registration starts without one, which offers that task again.
/// </summary>
internal sealed class BatchAgent(string destination, ILiveSession session, DateTimeOffset since)
{
    public string Destination { get; } = destination;

    public ILiveSession Session { get; } = session;

    public DateTimeOffset Since { get; } = since;

    public IPAddress? Address => Session.RemoteAddress;

    private long _offeredTaskId;

    /// <summary>
    /// Changed only by <see cref="BatchDelivery"/> under the destination's gate; read by listings at any time
    /// (held as one <c>long</c>, 0 for none — ids start at 1 — so a read is never torn).
    /// </summary>
    public long? OfferedTaskId
    {
        get => Volatile.Read(ref _offeredTaskId) is var id and > 0 ? id : null;
        set => Volatile.Write(ref _offeredTaskId, value ?? 0);
    }
}
