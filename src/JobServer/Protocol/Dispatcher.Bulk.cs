using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol;

internal sealed partial class Dispatcher
{
    /// <summary>
    /// One call of <c>core.bulk</c>, on behalf of the bulk job's caller: the same authorization and binding as
    /// any call; a job method is submitted and awaited. Never throws for the call's own failure: it becomes the
    /// entry's <c>error</c>.
    /// </summary>
    public async Task<JsonObject> CallForBulkAsync(ICallContext context, string methodName, JsonArray parameters,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(context);
        var entry = new JsonObject { ["job_id"] = null, ["result"] = null, ["error"] = null };
        try
        {
            var method = Resolve(methodName);
            Authorize(caller, method);
            using var document = JsonDocument.Parse(parameters.ToJsonString());
            var arguments = BindAndValidate(method, document.RootElement, caller);
            if (method.IsJob)
            {
                var job = await jobs.SubmitAsync(method, arguments, document.RootElement, caller, null);
                entry["job_id"] = job.Id;
                entry["result"] = await jobs.WaitAsync(job.Id, caller, cancellationToken);
                return entry;
            }

            FillContextArguments(method, arguments, caller, null, cancellationToken);
            var value = await method.Invoker(method.Service.Instance, arguments);
            entry["result"] = value is null || method.ResultType == typeof(void)
                ? null
                : JsonSerializer.SerializeToNode(value, method.ResultType, WireJson.Options);
        }
        catch (Exception e) when (e is CallError or ValidationException or MatchNotFoundException)
        {
            entry["error"] = ErrorMapper.FromException(e).Reason.TrimEnd();
        }

        return entry;
    }
}
