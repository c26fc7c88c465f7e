using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Sdk;

namespace JobServer.Dispatch;

/// <summary>
/// A job's calls of other methods (<c>IJobContext.CallAsync</c>, in the daemon or from a worker process): each is
/// a <see cref="CallRequest"/> as the job's owner through <see cref="Dispatcher.InvokeAsync"/>, so it meets the same
/// authorization, validation and errors as a client's call; a job method's call waits for that job's result.
/// </summary>
/// <param name="dispatcher">Lazy: the dispatcher needs the job manager, which needs this.</param>
internal sealed class JobCalls(Lazy<Dispatcher> dispatcher) : IJobCalls
{
    public async Task<JsonNode?> CallAsync(JobCaller owner, string method, JsonArray? parameters,
        CancellationToken cancellationToken)
    {
        var request = new CallRequest(Caller.From(owner), method,
            JsonSerializer.SerializeToElement(parameters ?? [], WireJson.Options))
        {
            Jobs = JobHandling.AwaitResult,
        };
        var (outcome, _) = await dispatcher.Value.InvokeAsync(request, cancellationToken);
        if (outcome.Error is { } error)
        {
            throw ErrorMapper.ToException(error.Errno, error.Type, error.Reason, error.Extra);
        }

        return outcome.Value is null || outcome.ValueType == typeof(void)
            ? null
            : JsonSerializer.SerializeToNode(outcome.Value, outcome.ValueType, WireJson.Options);
    }
}
