using System.Net.WebSockets;
using System.Text.Json;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.Ddp;

internal sealed partial class DdpConnection
{
    /// <summary>Starts a call in the background; false when the message is too broken to answer.</summary>
    /// <param name="parametersProblem">Why the inbound parse refused the params, if it did: the call then
    /// fails validation and nothing runs.</param>
    private async Task<bool> StartCallAsync(JsonElement root, InboundProblem? parametersProblem = null)
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

        // The document is disposed when this message is handled; the call keeps its own copy of the params.
        var method = methodProperty.GetString()!;
        var ownParameters = parameters.ValueKind == JsonValueKind.Array && parametersProblem is null
            ? parameters.Clone()
            : default;
        if (!TryStartCall(() => RunCallAsync(id, method, ownParameters, parametersProblem)))
        {
            await AnswerAsync(id, CallOutcome.Failure(ErrorMapper.Call(
                $"Maximum number of concurrent calls ({Limits.MaxConcurrentCalls}) has exceeded.",
                Errno.ETOOMANYREFS)));
        }

        return true;
    }

    private async Task RunCallAsync(string id, string method, JsonElement parameters, InboundProblem? parametersProblem)
    {
        var call = new CallRequest(Session.Caller, method, parameters)
        {
            Session = Session, MessageId = id, ParametersProblem = parametersProblem,
        };
        var result = await _dispatcher.InvokeAsync(call, Closing);
        await AnswerAsync(id, result.Outcome);
    }

    private async Task AnswerAsync(string id, CallOutcome outcome)
    {
        var message = outcome.Error is { } error
            ? DdpMessages.Error(id, error)
            : WireWriter.TrySerializeResult(outcome, out var result, out var failure)
                ? DdpMessages.Result(id, result)
                : DdpMessages.Error(id, ErrorMapper.Call(
                    $"Failed to JSON serialize server message: {failure}", Errno.EFAULT));
        await SendAsync(message);
        // Meteor clients wait for "updated" before they consider a method done (upstream omits it).
        await SendAsync(DdpMessages.Updated(id));
    }
}
