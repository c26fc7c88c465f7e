using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Dispatch;
using JobServer.Sdk;

namespace JobServer.Services;

internal sealed partial class CoreJobsService
{
    /// <summary>
    /// One call of <c>core.bulk</c>, on behalf of the bulk job's caller and through the same pipeline as any call
    /// (a job method is submitted and awaited). Every failure of the call, a bug included (the Dispatcher logs it
    /// with the item's method), becomes the entry's <c>error</c>: the bulk job itself succeeds (docs/jobs.md).
    /// There is no connection here, so a method that needs one fails with ENOTSUP before it runs.
    /// </summary>
    private async Task<JsonObject> CallOnceAsync(Caller caller, string method, JsonArray parameters,
        CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(parameters.ToJsonString());
        var request = new CallRequest(caller, method, document.RootElement) { Jobs = JobHandling.AwaitResult };
        var (outcome, job) = await dispatcher.Value.InvokeAsync(request, cancellationToken);
        var entry = new JsonObject { ["job_id"] = job?.Id, ["result"] = null, ["error"] = null };
        if (outcome.Error is { } error)
        {
            entry["error"] = error.Reason.TrimEnd();
        }
        else if (outcome.Value is not null && outcome.ValueType != typeof(void))
        {
            try
            {
                entry["result"] = JsonSerializer.SerializeToNode(outcome.Value, outcome.ValueType, WireJson.Options);
            }
            // As WireWriter.TrySerializeResult: a value JSON cannot hold is this entry's error, not the bulk's.
            catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException
                                          or ArgumentException)
            {
                entry["error"] = $"Failed to JSON serialize the result: {e.Message}";
            }
        }

        return entry;
    }
}
