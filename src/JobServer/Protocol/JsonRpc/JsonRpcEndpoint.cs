using JobServer.Dispatch;
using JobServer.Protocol.WebSockets;

namespace JobServer.Protocol.JsonRpc;

/// <summary>Accepts WebSocket upgrades at <c>/api/current</c> and <c>/api/v1</c> and runs a <see cref="JsonRpcConnection"/> for each.</summary>
internal sealed class JsonRpcEndpoint(
    WebSocketAcceptor acceptor,
    Dispatcher dispatcher,
    ILogger<JsonRpcConnection> logger)
{
    public Task HandleAsync(HttpContext context) =>
        acceptor.RunAsync(context, accepted => new JsonRpcConnection(accepted, dispatcher, logger));
}
