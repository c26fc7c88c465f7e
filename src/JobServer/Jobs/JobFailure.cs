using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

/// <summary>Turns what a job body threw into the job's <c>error</c>, <c>exception</c> and <c>exc_info</c>.</summary>
internal static class JobFailure
{
    public static JobOutcome Failed(Exception exception)
    {
        var info = ErrorMapper.FromException(exception);
        var excInfo = new JsonObject
        {
            ["repr"] = $"{exception.GetType().Name}({exception.Message.TrimEnd()})",
            ["type"] = exception is ValidationException ? "VALIDATION" : TypeName(exception),
            ["errno"] = exception switch
            {
                ArgumentValidationException => null,
                ValidationException { Errors.Count: 1 } single => single.Errors[0].Errno,
                ValidationException => null,
                CallError call => call.Errno,
                _ => null,
            },
            ["extra"] = info.Extra?.DeepClone(),
        };
        return new JobOutcome(JobState.Failed, Error: info.Reason.TrimEnd(), Exception: exception.ToString(),
            ExcInfo: excInfo);
    }

    /// <summary>
    /// What a job that threw ends as: ABORTED when it was asked to stop (whatever it threw then is how it stopped),
    /// else FAILED with what it threw.
    /// </summary>
    public static JobOutcome Of(Job job, Exception exception) =>
        job.Abort.IsCancellationRequested ? Aborted(job.AbortReason ?? "Aborted") : Failed(exception);

    /// <summary>An abort is not an error of the job, but clients get a reason (api_client PR #91 crashed on null).</summary>
    public static JobOutcome Aborted(string reason) => new(JobState.Aborted, Error: reason,
        ExcInfo: new JsonObject
        {
            ["repr"] = $"JobAborted({reason})",
            ["type"] = "ABORTED",
            ["errno"] = Errno.ECANCELED,
            ["extra"] = null,
        });

    /// <summary>
    /// The error a waiter of a finished job receives, rebuilt from what was stored (so it is the same after a
    /// restart): validation errors stay validation errors, call errors keep their errno and extra.
    /// </summary>
    public static Exception ToException(string? error, string? excInfoJson)
    {
        var excInfo = excInfoJson is null ? null : JsonNode.Parse(excInfoJson)?.AsObject();
        var reason = error ?? "Job failed";
        var type = excInfo?["type"]?.GetValue<string>();
        return type == "ABORTED"
            ? new CallError(ErrorMapper.WithoutErrname(reason), Errno.ECANCELED)
            : ErrorMapper.ToException(excInfo?["errno"]?.GetValue<int>() ?? Errno.EFAULT, type, reason,
                excInfo?["extra"]);
    }

    private static string TypeName(Exception exception) => exception switch
    {
        CallError => "CallError",
        _ => exception.GetType().Name,
    };
}
