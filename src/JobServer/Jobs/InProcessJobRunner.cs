using System.Text.Json;
using System.Text.Json.Nodes;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

/// <summary>
/// Runs a job's body in the daemon: the method's compiled invoker with the job's own context values, on the
/// caller's task (the manager's tracked job task), so it adds no thread hop. A body cannot be forced to stop here:
/// one that ignores its abort keeps its thread until it returns (worker processes will be killable).
/// </summary>
internal sealed partial class InProcessJobRunner(ILogger<InProcessJobRunner> logger) : IJobRunner
{
    public async ValueTask<JobOutcome> RunAsync(Job job, IJobContext context)
    {
        try
        {
            var value = await job.Method.Invoker(job.Method.Service.Instance, ContextArguments(job, context));
            return new JobOutcome(JobState.Success, Result: SerializeResult(value, job));
        }
        catch (JobAbortedException e)
        {
            return JobFailure.Aborted(e.Message);
        }
        catch (OperationCanceledException) when (job.Abort.IsCancellationRequested)
        {
            return JobFailure.Aborted(job.AbortReason ?? "Aborted");
        }
#pragma warning disable CA1031 // Whatever a job body throws becomes the job's error; the daemon lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailure(job, e);
            return JobFailure.Of(job, e);
        }
    }

    /// <summary>The bound arguments with the job's own context values: the job, its caller, its abort token.</summary>
    private static object?[] ContextArguments(Job job, IJobContext context)
    {
        var arguments = (object?[])job.Request.Arguments.Clone();
        for (var i = 0; i < job.Method.Parameters.Count; i++)
        {
            arguments[i] = job.Method.Parameters[i].Kind switch
            {
                ParameterKind.JobContext => context,
                ParameterKind.CallContext => job.Request.Caller,
                ParameterKind.CancellationToken => job.Abort.Token,
                _ => arguments[i],
            };
        }

        return arguments;
    }

    private static JsonNode? SerializeResult(object? value, Job job)
    {
        if (value is null || job.Method.ResultType == typeof(void))
        {
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToNode(value, job.Method.ResultType, WireJson.Options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new CallError($"The job's result cannot be serialized: {e.Message}", Errno.EFAULT);
        }
    }

    /// <summary>
    /// Errors a job raises on purpose and broken pipes (a client went away) are expected: one line. Anything
    /// else is a bug in the job, logged with its stack.
    /// </summary>
    private void LogFailure(Job job, Exception e)
    {
        if (job.Abort.IsCancellationRequested || e is CallError or ValidationException)
        {
            return;
        }

        if (e is IOException)
        {
            LogJobIoFailure(logger, job.Id, job.Method.Name, e.Message);
        }
        else
        {
            LogJobCrashed(logger, e, job.Id, job.Method.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Method}) failed: {Reason}")]
    private static partial void LogJobIoFailure(ILogger logger, long jobId, string method, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Method}) failed unexpectedly")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, long jobId, string method);
}
