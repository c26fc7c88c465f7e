using System.Net;
using System.Text.Json;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Events;
using JobServer.Protocol.Inbound;
using JobServer.Protocol.WebSockets;

namespace JobServer.Protocol.JsonRpc;

/// <summary>
/// One JSON-RPC 2.0 connection at <c>/api/current</c> (reference §2): no handshake, every message a request or a
/// notification. Unlike DDP, a malformed message is answered (-32700, -32600) and the connection stays open.
/// Calls run concurrently, bounded per connection; events arrive as <c>collection_update</c> notifications.
/// </summary>
internal sealed partial class JsonRpcConnection : WebSocketConnection
{
    private readonly Dispatcher _dispatcher;

    public JsonRpcConnection(AcceptedSocket accepted, Dispatcher dispatcher, ILogger logger)
        : base(accepted, logger)
    {
        _dispatcher = dispatcher;
        LogConnected(logger, Session.SessionId, Session.RemoteAddress);
    }

    protected override string Dialect => "JSON-RPC";

    protected override async Task<bool> HandleAsync(byte[] payload)
    {
        using var message = InboundJson.Parse(payload);
        if (message.Document is not { } document)
        {
            await SendParseErrorAsync(message.SyntaxError!);
            return true;
        }

        var root = document.RootElement;
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                // utils/limits.py refuses batches with this text; we answer it as a parse error and carry on.
                await SendParseErrorAsync("Batch messages are not supported at this time");
                return true;
            case not JsonValueKind.Object:
                await SendParseErrorAsync("Message must be a JSON object");
                return true;
        }

        if (message.Problem is { } problem)
        {
            LogRefused(problem);
        }

        // Duplicate keys or lone surrogates in the envelope make it an invalid request; inside params, the call
        // fails validation (-32602) once its method is known, and nothing runs.
        var request = message.Problem is null || message.ParametersOnlyProblem is not null
            ? JsonRpcRequest.Read(root, message.ParametersOnlyProblem)
            : JsonRpcRequest.Refused(root, message.KeysAreReadable, message.IsSound("id"), message.Problem.Describe());
        if (request.Problem is not null)
        {
            // An invalid notification is dropped: without an id there is nobody to tell (rpc.py).
            if (!request.IsNotification)
            {
                await SendAsync(JsonRpcMessages.Error(request.Id!, JsonRpcErrorCode.InvalidRequest, request.Problem));
            }

            return true;
        }

        await StartCallAsync(request);
        return true;
    }

    protected override byte[] Encode(CollectionEvent collectionEvent) =>
        collectionEvent.EncodedFor(EventDialect.JsonRpc, JsonRpcMessages.Event);

    public override void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error) =>
        Pipe.TrySend(JsonRpcMessages.Unsubscribed(collection, error));

    private ValueTask SendParseErrorAsync(string message) =>
        SendAsync(JsonRpcMessages.Error(JsonRpcRequest.NullId, JsonRpcErrorCode.ParseError, message));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "JSON-RPC session {SessionId} connected from {RemoteAddress}")]
    private static partial void LogConnected(ILogger logger, string sessionId, IPAddress? remoteAddress);
}
