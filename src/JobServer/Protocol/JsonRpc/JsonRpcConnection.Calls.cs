using System.Text.Json.Nodes;
using JobServer.Dispatch;
using JobServer.Registry;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol.JsonRpc;

internal sealed partial class JsonRpcConnection
{
    private async Task StartCallAsync(JsonRpcRequest request)
    {
        if (!TryStartCall(() => RunCallAsync(request)) && !request.IsNotification)
        {
            await SendAsync(JsonRpcMessages.Error(request.Id!, JsonRpcErrorCode.TooManyConcurrentCalls,
                $"Maximum number of concurrent calls ({Limits.MaxConcurrentCalls}) has exceeded"));
        }
    }

    private async Task RunCallAsync(JsonRpcRequest request)
    {
        // One snapshot per call: a concurrent core.set_options changes the calls that start after it.
        var options = Session.Options;
        MethodDescriptor method;
        try
        {
            method = _dispatcher.Resolve(request.Method, options.PrivateMethods);
        }
        catch (CallError)
        {
            // The exact text matters: the official client detects old servers by it (reference §2.1).
            await AnswerAsync(request, id => JsonRpcMessages.Error(id, JsonRpcErrorCode.MethodNotFound,
                "Method does not exist"));
            return;
        }

        var call = new CallRequest(Session.Caller, request.Method, request.Parameters)
        {
            Session = Session,
            AllowPrivate = options.PrivateMethods,
            MessageId = method.IsJob ? MessageIdOf(request) : null,
            ParametersProblem = request.ParametersProblem,
            // New-style jobs (reference §2.6): the answer waits for the job; the client learns the job id from
            // the core.get_jobs event whose message_ids holds this call's id.
            Jobs = options.LegacyJobs ? JobHandling.AnswerId : JobHandling.AwaitOutcome,
        };
        var outcome = (await _dispatcher.InvokeAsync(call, Closing)).Outcome;
        await AnswerAsync(request, id => JsonRpcMessages.Answer(id, outcome));
    }

    /// <summary>Sends the answer a request gets; a notification gets none.</summary>
    private async Task AnswerAsync(JsonRpcRequest request, Func<byte[], byte[]> answer)
    {
        if (request.Id is { } id)
        {
            await SendAsync(answer(id));
        }
    }

    /// <summary>The id a job records in its <c>message_ids</c>: the request's id as the client sent it.</summary>
    private static JsonNode? MessageIdOf(JsonRpcRequest request) =>
        request.Id is { } id ? JsonNode.Parse(id) : null;
}
