using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using JobServer.Events;
using JobServer.Protocol.WebSockets;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.Ddp;

/// <summary>
/// One DDP connection at <c>/websocket</c>: the handshake, then calls, subscriptions and pings. Calls run
/// concurrently (results may come back out of order), bounded per connection.
/// </summary>
internal sealed partial class DdpConnection : ISessionTransport
{
    private readonly WebSocketPipe _pipe;
    private readonly Dispatcher _dispatcher;
    private readonly EventHub _events;
    private readonly WebSocketLimits _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenRegistration _onStopping;
    private int _callsInFlight;
    private bool _connected;

    public DdpConnection(WebSocket socket, IPAddress? remoteAddress, Dispatcher dispatcher, EventHub events,
        WebSocketLimits limits, ILogger logger, CancellationToken stopping)
    {
        _pipe = new WebSocketPipe(socket, limits.OutboundQueueMessages);
        _dispatcher = dispatcher;
        _events = events;
        _limits = limits;
        _logger = logger;
        Session = new Session(Guid.NewGuid().ToString(), remoteAddress, this);
        // On shutdown the client gets a close frame; cancelling the receive instead would abort the socket.
        _onStopping = stopping.Register(() =>
            _ = CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down"));
    }

    public Session Session { get; }

    public async Task RunAsync()
    {
        var sendLoop = _pipe.RunSendLoopAsync(CancellationToken.None);
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            await _closing.CancelAsync();
            _pipe.RequestClose(WebSocketCloseStatus.NormalClosure, "");
            await sendLoop;
            await _onStopping.DisposeAsync();
            _closing.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            var message = await _pipe.ReceiveAsync(MessageLimit, _closing.Token);
            switch (message.Status)
            {
                case ReceiveStatus.Closed:
                    return;
                case ReceiveStatus.Binary:
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "Invalid websocket message type: binary");
                    return;
                case ReceiveStatus.TooBig:
                    var limit = MessageLimit();
                    await CloseAsync(Session.IsAuthenticated
                        ? (WebSocketCloseStatus.MessageTooBig, $"Max message length is {limit / 1024} kB")
                        : (WebSocketCloseStatus.InvalidPayloadData,
                            $"Anonymous connection max message length is {limit / 1024} kB"));
                    return;
                default:
                    if (!await HandleAsync(message.Payload))
                    {
                        return;
                    }

                    break;
            }
        }
    }

    private int MessageLimit() =>
        Session.IsAuthenticated ? _limits.AuthenticatedMessageBytes : _limits.AnonymousMessageBytes;

    /// <summary>Handles one message; false when the connection must end.</summary>
    private async Task<bool> HandleAsync(byte[] payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, e.Message);
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "Batch messages are not supported at this time");
                return false;
            }

            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("msg", out var msgProperty) || msgProperty.ValueKind != JsonValueKind.String)
            {
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "Message is malformed: 'msg' is absent");
                return false;
            }

            var msg = msgProperty.GetString();
            if (!_connected)
            {
                return await HandshakeAsync(msg, root);
            }

            return await DispatchAsync(msg, root);
        }
    }

    private async Task<bool> HandshakeAsync(string? msg, JsonElement root)
    {
        // Before a successful connect every other message is answered with "failed" (reference §1.2).
        if (msg != "connect" || !AcceptsVersion(root))
        {
            await _pipe.SendAsync(DdpMessages.Failed, _closing.Token);
            return true;
        }

        _connected = true;
        LogConnected(_logger, Session.SessionId, Session.RemoteAddress);
        await _pipe.SendAsync(DdpMessages.Connected(Session.SessionId), _closing.Token);
        return true;
    }

    /// <summary>
    /// We speak DDP "1". Meteor clients send <c>support: ["1","pre2","pre1"]</c> with <c>version: "1"</c>; a client
    /// proposing another version gets <c>failed</c> with "1" and reconnects with it.
    /// </summary>
    private static bool AcceptsVersion(JsonElement root) =>
        root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String &&
        version.ValueEquals("1");

    private async Task<bool> DispatchAsync(string? msg, JsonElement root)
    {
        switch (msg)
        {
            case "method":
                return await StartCallAsync(root);
            case "ping":
                var pingId = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null;
                await _pipe.SendAsync(DdpMessages.Pong(pingId), _closing.Token);
                return true;
            case "pong":
                return true;
            case "sub":
                await SubscribeAsync(root);
                return true;
            case "unsub":
                if (root.TryGetProperty("id", out var unsubId) && unsubId.ValueKind == JsonValueKind.String)
                {
                    _events.Unsubscribe(Session, unsubId.GetString()!);
                }

                return true;
            case "connect":
                await _pipe.SendAsync(DdpMessages.ProtocolError("Already connected", root.Clone()), _closing.Token);
                return true;
            default:
                await _pipe.SendAsync(DdpMessages.ProtocolError("Bad request", root.Clone()), _closing.Token);
                return true;
        }
    }

    public bool TrySendEvent(CollectionEvent collectionEvent)
    {
        if (_pipe.TrySend(collectionEvent.EncodedFor(EventDialect.Ddp, DdpMessages.Event)))
        {
            return true;
        }

        _pipe.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too slow to receive events");
        return false;
    }

    public void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error) =>
        _pipe.TrySend(DdpMessages.NoSub(subscriptionId, collection, error));

    public Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        LogClosing(_logger, Session.SessionId, (int)status, description);
        _pipe.RequestClose(status, description);
        return Task.CompletedTask;
    }

    private Task CloseAsync((WebSocketCloseStatus Status, string Description) close) =>
        CloseAsync(close.Status, close.Description);

    private static ErrorInfo Malformed(string what) =>
        ErrorMapper.Call($"Message is malformed: {what}", Errno.EINVAL);

    [LoggerMessage(Level = LogLevel.Information, Message = "DDP session {SessionId} connected from {RemoteAddress}")]
    private static partial void LogConnected(ILogger logger, string sessionId, IPAddress? remoteAddress);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Closing DDP session {SessionId} with {CloseStatus}: {Description}")]
    private static partial void LogClosing(ILogger logger, string sessionId, int closeStatus, string description);
}
