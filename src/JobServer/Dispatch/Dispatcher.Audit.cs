using JobServer.Audit;
using JobServer.Jobs;

namespace JobServer.Dispatch;

internal sealed partial class Dispatcher
{
    /// <summary>
    /// Records a call that may change state (<see cref="AuditedMethods"/>) as it ended, refused ones included, with
    /// its arguments as a job shows them (<c>[Secret]</c> ones masked). Every door's calls pass here, so the audit
    /// log sees DDP, JSON-RPC, uploads, downloads and <c>core.bulk</c>'s inner calls alike.
    /// </summary>
    private CallResult Audited(CallRequest request, CallResult result)
    {
        if (AuditedMethods.IsRecorded(request.Method, failed: result.Outcome.Error is not null))
        {
            // Refused parameters (a duplicate key, a lone surrogate) and an unknown method's are not stored.
            var arguments = request.ParametersProblem is null && registry.TryGetMethod(request.Method, out var method)
                ? ArgumentRedactor.Redact(method, request.Parameters).ToJsonString()
                : null;
            audit.Call(request.Caller, request.Method, arguments, result.Outcome.Error);
        }

        return result;
    }
}
