using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Events;
using JobServer.Protocol.Inbound;
using JobServer.Protocol.WebSockets;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.Ddp;

/// <summary>
/// One DDP connection at <c>/websocket</c>: the handshake, then calls, subscriptions and pings. Calls run
/// concurrently (results may come back out of order), bounded per connection.
/// </summary>
internal sealed partial class DdpConnection(
    AcceptedSocket accepted, Dispatcher dispatcher, EventHub events, ILogger logger)
    : WebSocketConnection(accepted, logger)
{
    private readonly Dispatcher _dispatcher = dispatcher;
    private readonly EventHub _events = events;
    private bool _connected;

    protected override string Dialect => "DDP";

    protected override async Task<bool> HandleAsync(byte[] payload)
    {
        using var message = InboundJson.Parse(payload);
        if (message.Document is not { } document)
        {
            await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, message.SyntaxError!);
            return false;
        }

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "Batch messages are not supported at this time");
            return false;
        }

        if (root.ValueKind == JsonValueKind.Object && message.Problem is { } problem)
        {
            // Before any lookup: one unreadable key makes every lookup in the object throw.
            LogRefused(problem);
            return await RefuseAsync(message, root);
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

    private async Task<bool> HandshakeAsync(string? msg, JsonElement root)
    {
        // Before a successful connect every other message is answered with "failed" (reference §1.2).
        if (msg != "connect" || !AcceptsVersion(root))
        {
            await SendAsync(DdpMessages.Failed);
            return true;
        }

        _connected = true;
        LogConnected(Logger, Session.SessionId, Session.RemoteAddress);
        await SendAsync(DdpMessages.Connected(Session.SessionId));
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
                await SendAsync(DdpMessages.Pong(pingId));
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
                await SendAsync(DdpMessages.ProtocolError("Already connected", root.Clone()));
                return true;
            default:
                await SendAsync(DdpMessages.ProtocolError("Bad request", root.Clone()));
                return true;
        }
    }

    protected override byte[] Encode(CollectionEvent collectionEvent) =>
        collectionEvent.EncodedFor(EventDialect.Ddp, DdpMessages.Event);

    public override void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error) =>
        Pipe.TrySend(DdpMessages.NoSub(subscriptionId, collection, error));

    private static ErrorInfo Malformed(string what) =>
        ErrorMapper.Call($"Message is malformed: {what}", Errno.EINVAL);

    [LoggerMessage(Level = LogLevel.Information, Message = "DDP session {SessionId} connected from {RemoteAddress}")]
    private static partial void LogConnected(ILogger logger, string sessionId, IPAddress? remoteAddress);
}
