using System.Net.WebSockets;
using System.Text.Json;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.Ddp;

internal sealed partial class DdpConnection
{
    /// <summary>Starts a call in the background; false when the message is too broken to answer.</summary>
    private async Task<bool> StartCallAsync(JsonElement root)
    {
        if (!root.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.String)
        {
            // Upstream closes with 1011 when a method message has no id: there is nothing to answer to.
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "Message is malformed: 'id' is absent");
            return false;
        }

        var id = idProperty.GetString()!;
        if (!root.TryGetProperty("method", out var methodProperty) || methodProperty.ValueKind != JsonValueKind.String)
        {
            await AnswerAsync(id, CallOutcome.Failure(Malformed("'method' is absent.")));
            return true;
        }

        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        if (parameters.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            await AnswerAsync(id, CallOutcome.Failure(ErrorMapper.Call("`params` must be a list.", Errno.EINVAL)));
            return true;
        }

        if (Interlocked.Increment(ref _callsInFlight) > _limits.MaxConcurrentCalls)
        {
            Interlocked.Decrement(ref _callsInFlight);
            await AnswerAsync(id, CallOutcome.Failure(ErrorMapper.Call(
                $"Maximum number of concurrent calls ({_limits.MaxConcurrentCalls}) has exceeded.",
                Errno.ETOOMANYREFS)));
            return true;
        }

        // The document is disposed when this message is handled; the call keeps its own copy of the params.
        var ownParameters = parameters.ValueKind == JsonValueKind.Array ? parameters.Clone() : default;
        _ = RunCallAsync(id, methodProperty.GetString()!, ownParameters);
        return true;
    }

    private async Task RunCallAsync(string id, string method, JsonElement parameters)
    {
        // Leave the receive loop at once: a call's synchronous work must not hold up the next message.
        await Task.Yield();
        try
        {
            var outcome = await _dispatcher.CallAsync(Session, method, parameters,
                new CallOptions(MessageId: id), _closing.Token);
            await AnswerAsync(id, outcome);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // The connection closed while the call ran; nobody is left to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _callsInFlight);
        }
    }

    private async Task AnswerAsync(string id, CallOutcome outcome)
    {
        byte[] message;
        if (outcome.Error is { } error)
        {
            message = DdpMessages.Error(id, error);
        }
        else
        {
            try
            {
                message = DdpMessages.Result(id, WireWriter.SerializeResult(outcome.Value, outcome.ValueType));
            }
            catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
            {
                message = DdpMessages.Error(id, ErrorMapper.Call(
                    $"Failed to JSON serialize server message: {e.Message}", Errno.EFAULT));
            }
        }

        await _pipe.SendAsync(message, _closing.Token);
        // Meteor clients wait for "updated" before they consider a method done (upstream omits it).
        await _pipe.SendAsync(DdpMessages.Updated(id), _closing.Token);
    }
}
