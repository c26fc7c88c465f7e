using System.Text.Json;
using JobServer.Calls;
using JobServer.Protocol.Inbound;

namespace JobServer.Protocol.Ddp;

internal sealed partial class DdpConnection
{
    /// <summary>
    /// Answers a message the inbound parse refused (duplicate keys, lone surrogates) in DDP's own shapes, and
    /// keeps the connection: <c>failed</c> before the handshake (as any other message then); a <c>method</c>
    /// whose id can be read gets its result with an error (the call's validation error when only its params are
    /// at fault, so nothing runs); anything else Meteor's top-level <c>error</c>. Nothing of the message is echoed
    /// back: it may not survive being written again.
    /// </summary>
    private async Task<bool> RefuseAsync(InboundMessage message, JsonElement root)
    {
        if (!_connected)
        {
            await SendAsync(DdpMessages.Failed);
            return true;
        }

        var problem = message.Problem!;
        if (message.IsSound("msg") && message.IsSound("id") &&
            root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String && msg.ValueEquals("method") &&
            root.TryGetProperty("id", out var idProperty) && idProperty.ValueKind == JsonValueKind.String)
        {
            if (message.ParametersOnlyProblem is { } parametersProblem)
            {
                return await StartCallAsync(root, parametersProblem);
            }

            await AnswerAsync(idProperty.GetString()!, CallOutcome.Failure(Malformed(problem.Describe())));
            return true;
        }

        await SendAsync(DdpMessages.ProtocolError($"Malformed message: {problem.Describe()}", null));
        return true;
    }
}
