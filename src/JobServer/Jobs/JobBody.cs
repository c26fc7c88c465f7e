using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

/// <summary>
/// Invokes a job method's body and serializes its result: what every runner does wherever the body runs (the
/// daemon's <see cref="InProcessJobRunner"/>, a worker process), so a body behaves the same in both.
/// </summary>
internal static class JobBody
{
    /// <summary>
    /// Runs the body with the bound wire arguments and the job's own context values (the job, its caller, its abort
    /// token) and answers its result as JSON (null for none). Whatever the body throws is thrown.
    /// </summary>
    public static async ValueTask<JsonNode?> InvokeAsync(MethodDescriptor method, object instance, object?[] arguments,
        IJobContext context, ICallContext caller)
    {
        var value = await method.Invoker(instance, WithContext(method, arguments, context, caller));
        return Serialize(value, method);
    }

    private static object?[] WithContext(MethodDescriptor method, object?[] bound, IJobContext context,
        ICallContext caller)
    {
        var arguments = (object?[])bound.Clone();
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            arguments[i] = method.Parameters[i].Kind switch
            {
                ParameterKind.JobContext => context,
                ParameterKind.CallContext => caller,
                ParameterKind.CancellationToken => context.Aborted,
                _ => arguments[i],
            };
        }

        return arguments;
    }

    private static JsonNode? Serialize(object? value, MethodDescriptor method)
    {
        if (value is null || method.ResultType == typeof(void))
        {
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToNode(value, method.ResultType, WireJson.Options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new CallError($"The job's result cannot be serialized: {e.Message}", Errno.EFAULT);
        }
    }
}
