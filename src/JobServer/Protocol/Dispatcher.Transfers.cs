using System.Text.Json;
using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Protocol;

internal sealed partial class Dispatcher
{
    /// <summary>
    /// Starts a job with pipes attached (an upload's input, a download's output): the same lookup,
    /// authorization and validation as any call. Throws the call's error.
    /// </summary>
    /// <param name="allowPrivate">For the daemon's own use of a private job (a job's log download).</param>
    public async Task<Job> SubmitJobAsync(Caller caller, string methodName, JsonElement parameters, IJobPipes pipes,
        bool allowPrivate = false)
    {
        var method = ResolveJob(caller, methodName, allowPrivate);
        var arguments = BindAndValidate(method, parameters, caller);
        return await jobs.SubmitAsync(method, arguments, parameters, caller, null, pipes);
    }

    /// <summary>A job method the caller may call, or the error a call of it would get.</summary>
    public MethodDescriptor ResolveJob(ICallContext caller, string methodName, bool allowPrivate = false)
    {
        var method = Resolve(methodName, allowPrivate);
        Authorize(caller, method);
        return method.IsJob ? method : throw new CallError($"{methodName} is not a job", Errno.EINVAL);
    }
}
