using System.Collections.Concurrent;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Workers;

/// <summary>
/// Runs <c>[Job(Process = true)]</c> bodies in worker processes (<see cref="WorkerPool"/>): the job is the same job —
/// locks, order, retention, events are the manager's — only its body runs elsewhere. A job that ignores its abort
/// past the grace period has its worker killed with the worker's process tree — unless it runs in a worker it
/// shares with other jobs (an <see cref="IWorkerPlacement"/>'s: a Spark context), which is left running.
/// </summary>
internal sealed partial class ProcessJobRunner(WorkerPool pool, IJobCalls calls, IEnumerable<IWorkerPlacement> placements,
    ILogger<ProcessJobRunner> logger) : IJobRunner
{
    private readonly IWorkerPlacement[] _placements = [.. placements];

    private readonly ConcurrentDictionary<long, WorkerProcess> _running = new();

    public string AbandonNote => "its worker process was killed";

    public string? AbandonNoteFor(Job job) =>
        Array.Exists(_placements, p => p.Places(job)) ? "its body runs on until its context stops" : AbandonNote;

    public async ValueTask<JobOutcome> RunAsync(Job job, IJobContext context)
    {
        foreach (var placement in _placements)
        {
            if (placement.TryRun(job, context, calls) is { } placed)
            {
                return await placed;
            }
        }

        WorkerProcess worker;
        try
        {
            worker = await pool.RentAsync(job.Abort.Token);
        }
        catch (OperationCanceledException) when (job.Abort.IsCancellationRequested)
        {
            return JobFailure.Aborted(job.AbortReason ?? "Aborted");
        }
        catch (IOException e)
        {
            LogNoWorker(logger, job.Id, job.Method.Name, e.Message);
            return JobFailure.Failed(new CallError($"No worker process could be started for the job: {e.Message}"));
        }

        _running[job.Id] = worker;
        try
        {
            return await worker.RunAsync(job, context, calls);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            pool.Return(worker);
        }
    }

    public void Abandon(Job job)
    {
        // A job of a placement's worker is not in _running: that worker is shared and lives on.
        if (_running.TryGetValue(job.Id, out var worker))
        {
            LogKillingWorker(logger, worker.Pid, job.Id, job.Method.Name);
            worker.Kill();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Method}) FAILED: no worker process could be started: {Reason}")]
    private static partial void LogNoWorker(ILogger logger, long jobId, string method, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Killing worker {Pid} with its process tree: job {JobId} ({Method}) ignored its abort")]
    private static partial void LogKillingWorker(ILogger logger, int pid, long jobId, string method);
}
