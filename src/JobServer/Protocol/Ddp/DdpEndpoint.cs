using JobServer.Dispatch;
using JobServer.Events;
using JobServer.Protocol.WebSockets;

namespace JobServer.Protocol.Ddp;

/// <summary>Accepts WebSocket upgrades at <c>/websocket</c> and runs a <see cref="DdpConnection"/> for each.</summary>
internal sealed class DdpEndpoint(
    WebSocketAcceptor acceptor,
    Dispatcher dispatcher,
    EventHub events,
    ILogger<DdpConnection> logger)
{
    public Task HandleAsync(HttpContext context) =>
        acceptor.RunAsync(context, accepted => new DdpConnection(accepted, dispatcher, events, logger));
}
