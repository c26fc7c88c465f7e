using System.Net.WebSockets;
using JobServer.Calls;
using JobServer.Configuration;
using JobServer.Events;
using JobServer.Protocol.Inbound;

namespace JobServer.Protocol.WebSockets;

/// <summary>
/// What every dialect's connection shares: its <see cref="Protocol.Session"/>, the one-writer pipe, the receive
/// loop with the transport rules (binary frames, size limits), calls run concurrently and bounded per connection,
/// event delivery and closing. A dialect says how a text message is handled and how an event is encoded.
/// </summary>
internal abstract partial class WebSocketConnection : ISessionTransport
{
    /// <summary>How long, and how much, the peer may still send after our close frame before we hang up.</summary>
    private static readonly TimeSpan PeerCloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Generous on purpose: a client that streams until it reads our close (its receive lagging its sends on a
    /// loaded machine) sends megabytes in milliseconds over loopback, and hanging up on it with its bytes unread
    /// resets the connection (1006). The timeout is what bounds a peer that never stops.
    /// </summary>
    private const long PeerCloseMaxBytes = 64 * 1024 * 1024;

    /// <summary>How long an ended connection waits for its calls in flight (each observes <see cref="Closing"/>).</summary>
    private static readonly TimeSpan CallsEndTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenRegistration _onStopping;
    private readonly RefusedMessageLog _refusals;
    private readonly TaskCompletionSource _callsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WebSocketMetrics? _metrics;
    private int _callsInFlight;
    private int _ended; // 1 once RunAsync waits for the calls; set with a full fence (see CallsEndedAsync)

    protected WebSocketConnection(AcceptedSocket accepted, ILogger logger)
    {
        Pipe = new WebSocketPipe(accepted.Socket, accepted.Limits.OutboundQueueMessages, accepted.Batching);
        Limits = accepted.Limits;
        Logger = logger;
        _refusals = accepted.Refusals;
        _metrics = accepted.Metrics;
        // Kept apart from the source: calls finishing after the connection ended still read it after disposal.
        Closing = _closing.Token;
        Session = new Session(Guid.NewGuid().ToString(), accepted.RemoteAddress, this);
        // On shutdown the client gets a close frame; cancelling the receive instead would abort the socket.
        _onStopping = accepted.Stopping.Register(() =>
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down"));
    }

    public Session Session { get; }

    protected WebSocketPipe Pipe { get; }

    protected WebSocketLimits Limits { get; }

    protected ILogger Logger { get; }

    /// <summary>Cancelled when the connection ends; every call and every queued answer observes it.</summary>
    protected CancellationToken Closing { get; }

    /// <summary>The dialect's name in logs.</summary>
    protected abstract string Dialect { get; }

    public async Task RunAsync()
    {
        var sendLoop = Pipe.RunSendLoopAsync(CancellationToken.None);
        _metrics?.Opened(Dialect);
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            _metrics?.Closed(Dialect);
            await _closing.CancelAsync();
            Pipe.RequestClose(WebSocketCloseStatus.NormalClosure, "");
            await sendLoop;
            // Disposing the socket while the peer's frames are still unread resets the TCP connection, and the
            // peer never reads our close frame (1006 in up to 35 % of trials, issue 12): finish the handshake.
            await Pipe.AwaitPeerCloseAsync(PeerCloseTimeout, PeerCloseMaxBytes);
            await CallsEndedAsync();
            await _onStopping.DisposeAsync();
            _closing.Dispose();
        }
    }

    /// <summary>Handles one whole text message; false when the connection must end.</summary>
    protected abstract Task<bool> HandleAsync(byte[] payload);

    /// <summary>The dialect's encoding of an event, shared by all its subscribers (<see cref="CollectionEvent.EncodedFor"/>).</summary>
    protected abstract byte[] Encode(CollectionEvent collectionEvent);

    public abstract void SendUnsubscribed(string subscriptionId, string collection, ErrorInfo? error);

    public bool TrySendEvent(CollectionEvent collectionEvent)
    {
        if (Pipe.TrySend(Encode(collectionEvent)))
        {
            _metrics?.Sent(Dialect);
            return true;
        }

        Pipe.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too slow to receive events");
        return false;
    }

    public Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        RequestClose(status, description);
        return Task.CompletedTask;
    }

    /// <summary>Asks the send loop to close once what is queued has gone; returns at once.</summary>
    private void RequestClose(WebSocketCloseStatus status, string description)
    {
        LogClosing(Logger, Dialect, Session.SessionId, (int)status, description);
        Pipe.RequestClose(status, description);
    }

    /// <summary>Logs a refused message (a duplicate key, a lone surrogate): one short warning, rate-limited.</summary>
    protected void LogRefused(InboundProblem problem) =>
        _refusals.Refused(Dialect, Session.RemoteAddress, problem.Describe());

    /// <summary>Queues a message towards the client, waiting for room (backpressure for answers).</summary>
    protected ValueTask SendAsync(byte[] message)
    {
        _metrics?.Sent(Dialect);
        return Pipe.SendAsync(message, Closing);
    }

    /// <summary>
    /// Runs a call as its own task, so its work never holds up the receive loop; false (and nothing runs) when
    /// <see cref="WebSocketLimits.MaxConcurrentCalls"/> calls are already in flight on this connection.
    /// </summary>
    protected bool TryStartCall(Func<Task> call)
    {
        if (Interlocked.Increment(ref _callsInFlight) > Limits.MaxConcurrentCalls)
        {
            Interlocked.Decrement(ref _callsInFlight);
            return false;
        }

        // Owned by the connection: RunAsync awaits every call (CallsEndedAsync) before it returns.
        _ = RunCallAsync(call);
        return true;
    }

    /// <summary>
    /// The connection has ended (<see cref="Closing"/> is cancelled, so calls stop waiting and cannot answer):
    /// waits for the calls still in flight, at most <see cref="CallsEndTimeout"/> — one that ignores its
    /// cancellation past it is logged and finishes on its own.
    /// </summary>
    private async Task CallsEndedAsync()
    {
        // A full fence, so this store and the count's load below cannot pass each other (a plain volatile store
        // could, and a call ending in between would then signal nobody).
        Interlocked.Exchange(ref _ended, 1);
        if (Volatile.Read(ref _callsInFlight) == 0)
        {
            _callsEnded.TrySetResult();
        }

        try
        {
            await _callsEnded.Task.WaitAsync(CallsEndTimeout);
        }
        catch (TimeoutException)
        {
            LogCallsOutlivedConnection(Logger, Dialect, Session.SessionId, Volatile.Read(ref _callsInFlight));
        }
    }

    private async Task RunCallAsync(Func<Task> call)
    {
        // Leave the receive loop at once: a call's synchronous work must not hold up the next message.
        await Task.Yield();
        try
        {
            await call();
        }
        catch (OperationCanceledException) when (Closing.IsCancellationRequested)
        {
            // The connection closed while the call ran; nobody is left to answer.
        }
#pragma warning disable CA1031 // A fault answering a call is our bug: the client gets 1011, the log the stack.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await FaultedAsync(e);
        }
        finally
        {
            if (Interlocked.Decrement(ref _callsInFlight) == 0 && Volatile.Read(ref _ended) == 1)
            {
                _callsEnded.TrySetResult();
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        while (!Closing.IsCancellationRequested)
        {
            var message = await Pipe.ReceiveAsync(MessageLimit, Closing);
            switch (message.Status)
            {
                case ReceiveStatus.Closed:
                    return;
                case ReceiveStatus.Binary:
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "Invalid websocket message type: binary");
                    return;
                case ReceiveStatus.TooBig:
                    // middlewared's limits (utils/limits.py): 1007 before authentication, 1009 after.
                    var limit = MessageLimit();
                    if (Session.IsAuthenticated)
                    {
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Max message length is {limit / 1024} kB");
                    }
                    else
                    {
                        await CloseAsync(WebSocketCloseStatus.InvalidPayloadData,
                            $"Anonymous connection max message length is {limit / 1024} kB");
                    }

                    return;
                default:
                    _metrics?.Received(Dialect);
                    if (!await HandleSafelyAsync(message.Payload))
                    {
                        return;
                    }

                    break;
            }
        }
    }

    private async Task<bool> HandleSafelyAsync(byte[] payload)
    {
        try
        {
            return await HandleAsync(payload);
        }
        catch (OperationCanceledException) when (Closing.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // A handler fault is our bug: the client gets 1011 (not 1000), the log the stack.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await FaultedAsync(e);
            return false;
        }
    }

    private Task FaultedAsync(Exception e)
    {
        LogFault(Logger, e, Dialect, Session.SessionId);
        return CloseAsync(WebSocketCloseStatus.InternalServerError, "Internal error");
    }

    private int MessageLimit() =>
        Session.IsAuthenticated ? Limits.AuthenticatedMessageBytes : Limits.AnonymousMessageBytes;

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Dialect} message failed (session {SessionId})")]
    private static partial void LogFault(ILogger logger, Exception exception, string dialect, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Count} call(s) of {Dialect} session {SessionId} still running 10 s after it ended; they finish on their own")]
    private static partial void LogCallsOutlivedConnection(ILogger logger, string dialect, string sessionId, int count);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Closing {Dialect} session {SessionId} with {CloseStatus}: {Description}")]
    private static partial void LogClosing(
        ILogger logger, string dialect, string sessionId, int closeStatus, string description);
}
