using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Jobs;

/// <summary>
/// Runs a job's body in the daemon: the method's compiled invoker with the job's own context values, on the
/// caller's task (the manager's tracked job task), so it adds no thread hop. A body cannot be forced to stop here:
/// one that ignores its abort keeps its thread until it returns (a <c>[Job(Process = true)]</c> body runs in a
/// worker process instead, which can be killed).
/// </summary>
internal sealed partial class InProcessJobRunner(ILogger<InProcessJobRunner> logger) : IJobRunner
{
    public async ValueTask<JobOutcome> RunAsync(Job job, IJobContext context)
    {
        try
        {
            var result = await JobBody.InvokeAsync(
                job.Method, job.Method.Service.Instance, job.Request.Arguments, context, job.Request.Caller);
            return new JobOutcome(JobState.Success, Result: result);
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
