using JobServer.Configuration;
using JobServer.Events;
using JobServer.Protocol.Inbound;
using JobServer.Sessions;
using Microsoft.Extensions.Options;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// Accepts a WebSocket upgrade and runs a dialect's connection on it, registered with the session registry for
/// its lifetime and removed from the event hub when it ends. Every WebSocket endpoint goes through here.
/// </summary>
internal sealed class WebSocketAcceptor(
    EventHub events,
    SessionRegistry sessions,
    IOptions<WebSocketLimits> limits,
    Lifecycle.StopSignal stop,
    RefusedMessageLog refusals,
    OriginCheck origins,
    Auth.UnixSocketSignIn unixSocket,
    WebSocketMetrics metrics)
{
    public async Task RunAsync(HttpContext context, Func<AcceptedSocket, WebSocketConnection> createConnection)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = "A WebSocket upgrade is required" });
            return;
        }

        if (await origins.RefuseIfForeignAsync(context))
        {
            return; // Before the upgrade: a page of another site gets no socket.
        }

        var settings = limits.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(settings.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(settings.KeepAliveTimeoutSeconds),
        });
        var connection = createConnection(new AcceptedSocket(
            socket, context.Connection.RemoteIpAddress, settings, stop.SocketsClosing, refusals,
            FrameBatchingUpgrade.Of(context), metrics));
        sessions.Add(connection.Session);
        try
        {
            // On the Unix socket a trusted peer starts signed in as root; anywhere else this does nothing.
            await unixSocket.SignInAsync(context, connection.Session);

            await connection.RunAsync();
        }
        finally
        {
            events.RemoveSubscriber(connection.Session);
            sessions.Remove(connection.Session);
        }
    }
}
