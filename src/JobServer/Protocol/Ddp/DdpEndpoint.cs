using JobServer.Events;
using JobServer.Protocol.WebSockets;
using Microsoft.Extensions.Options;

namespace JobServer.Protocol.Ddp;

/// <summary>Accepts WebSocket upgrades at <c>/websocket</c> and runs a <see cref="DdpConnection"/> for each.</summary>
internal sealed class DdpEndpoint(
    Dispatcher dispatcher,
    EventHub events,
    SessionRegistry sessions,
    IOptions<WebSocketLimits> limits,
    IHostApplicationLifetime lifetime,
    ILogger<DdpConnection> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "A WebSocket upgrade is required" });
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(limits.Value.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(limits.Value.KeepAliveTimeoutSeconds),
        });
        var connection = new DdpConnection(socket, context.Connection.RemoteIpAddress, dispatcher, events,
            limits.Value, logger, lifetime.ApplicationStopping);
        sessions.Add(connection.Session);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            events.RemoveSession(connection.Session);
            sessions.Remove(connection.Session);
        }
    }
}
