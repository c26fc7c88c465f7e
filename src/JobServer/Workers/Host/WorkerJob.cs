using System.Globalization;
using System.Text.Json;
using JobServer.Jobs;
using JobServer.Registry;
using JobServer.Sdk.Errors;
using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>One job running in the worker: its context, pipes and calls, and how it ended.</summary>
internal sealed class WorkerJob : IDisposable
{
    private readonly RunMessage _run;
    private readonly CancellationTokenSource _abort = new();
    private readonly JobReports _reports;

    public WorkerJob(RunMessage run, JobLane channel)
    {
        _run = run;
        _reports = new JobReports(channel);
        Input = run.HasInput ? new ChannelInputStream(channel) : null;
        Output = run.HasOutput ? new ChannelOutputStream(channel, _abort.Token) : null;
        Calls = new WorkerCalls(channel);
        Context = new WorkerJobContext(run.JobId, _reports, run.Logs, Input, Output, Calls, _abort.Token);
    }

    public ChannelInputStream? Input { get; }

    public ChannelOutputStream? Output { get; }

    public WorkerCalls Calls { get; }

    public WorkerJobContext Context { get; }

    /// <summary>The daemon aborted the job: its token is cancelled, as in the daemon.</summary>
    public void Abort() => _abort.Cancel();

    /// <summary>Runs the body to its end; what it threw becomes the outcome. Its last reports are sent before this returns.</summary>
    public async Task<DoneMessage> RunAsync(ServiceLoader services)
    {
        DoneMessage done;
        try
        {
            var (instance, method) = services.Resolve(_run);
            var arguments = ArgumentBinder.Bind(method, ArgumentsOf(_run));
            var result = await JobBody.InvokeAsync(method, instance, arguments, Context, CallerOf(_run.Caller));
            done = new DoneMessage("SUCCESS", result, null, null, null, OutOfMemory: false);
        }
        catch (OutOfMemoryException)
        {
            done = Failed(OutOfMemory(), outOfMemory: true);
        }
        catch (JobAbortedException e)
        {
            done = new DoneMessage("ABORTED", null, e.Message, null, null, OutOfMemory: false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            done = new DoneMessage("ABORTED", null, null, null, null, OutOfMemory: false);
        }
#pragma warning disable CA1031 // Whatever a job body throws becomes the job's error; the worker lives on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            done = _abort.IsCancellationRequested
                ? new DoneMessage("ABORTED", null, null, null, null, OutOfMemory: false)
                : Failed(e, outOfMemory: false);
        }

        await Context.Log.FlushAsync();
        await _reports.DisposeAsync();
        return done;
    }

    public void Dispose()
    {
        Input?.Dispose();
        _abort.Dispose();
    }

    private static DoneMessage Failed(Exception exception, bool outOfMemory)
    {
        var outcome = JobFailure.Failed(exception);
        return new DoneMessage("FAILED", null, outcome.Error, outcome.Exception, outcome.ExcInfo, outOfMemory);
    }

    /// <summary>The heap hard limit is the worker's memory limit: say so, with the figure, in the job's error.</summary>
    private static CallError OutOfMemory()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        return new CallError(string.Create(CultureInfo.InvariantCulture,
            $"Out of memory: the job needed more than its worker process may use ({limit} MiB, JobServer:Workers:MemoryLimitMb)"),
            Errno.ENOMEM, null);
    }

    private static JsonElement ArgumentsOf(RunMessage run) => run.Arguments ?? default;

    private static JobCaller CallerOf(RunCaller caller) =>
        new(caller.SessionId, caller.Username, caller.Roles, caller.CredentialType);
}
