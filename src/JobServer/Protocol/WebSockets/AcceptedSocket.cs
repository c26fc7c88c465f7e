using System.Net;
using System.Net.WebSockets;
using JobServer.Configuration;
using JobServer.Protocol.Inbound;

namespace JobServer.Protocol.WebSockets;

/// <summary>What every dialect's connection starts from: the accepted socket, its peer and the shared limits.</summary>
/// <param name="Stopping">Signalled last in the daemon's graceful stop (<c>StopSignal.SocketsClosing</c>); the
/// connection then closes with 1001.</param>
/// <param name="Refusals">Where refused messages are logged, rate-limited per client address.</param>
/// <param name="Batching">The stream under the socket that sends queued frames together, when there is one.</param>
/// <param name="Metrics">Where connections and messages are counted (none: not counted).</param>
internal sealed record AcceptedSocket(
    WebSocket Socket, IPAddress? RemoteAddress, WebSocketLimits Limits, CancellationToken Stopping,
    RefusedMessageLog Refusals, FrameBatchingStream? Batching = null, WebSocketMetrics? Metrics = null);
