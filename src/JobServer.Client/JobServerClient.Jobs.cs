using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Client;

public sealed partial class JobServerClient
{
    /// <summary>
    /// Calls a job method, waits for the job to end and returns its result; its progress goes to
    /// <paramref name="progress"/> as the daemon reports it.
    /// </summary>
    /// <remarks>Cancelling stops the waiting, not the job (abort it with <c>core.job_abort</c>).</remarks>
    /// <exception cref="JobServerJobException">The job failed or was aborted: its errno, reason and extra.</exception>
    /// <exception cref="JobServerCallException">The call itself was refused (no job was created).</exception>
    public async Task<T> CallJobAsync<T>(string method, IReadOnlyList<object?>? args = null,
        IProgress<JobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // Subscribed before the call, so not one of the job's events is missed.
        await using var events = progress is null ? null : await SubscribeAsync("core.get_jobs", cancellationToken);
        var jobId = await CallAsync<long>(method, args, cancellationToken);
        return await WaitAsync<T>(jobId, events, progress, cancellationToken);
    }

    /// <summary>Waits for a job (by id) to end and returns its result, reporting its progress.</summary>
    /// <exception cref="JobServerJobException">The job failed or was aborted.</exception>
    /// <exception cref="JobServerCallException">No such job (errno 2), or not the caller's to see.</exception>
    public async Task<T> WaitJobAsync<T>(long jobId, IProgress<JobProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var events = progress is null ? null : await SubscribeAsync("core.get_jobs", cancellationToken);
        return await WaitAsync<T>(jobId, events, progress, cancellationToken);
    }

    private async Task<T> WaitAsync<T>(long jobId, JobServerSubscription? events, IProgress<JobProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var stopPump = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = events is null || progress is null
            ? Task.CompletedTask
            : PumpProgressAsync(events, jobId, progress, stopPump.Token);
        try
        {
            var result = await JobWaitAsync(jobId, cancellationToken);
            return Convert<T>(result);
        }
        finally
        {
            await stopPump.CancelAsync();
            await pump;
            if (events is not null && progress is not null)
            {
                // What arrived with the end (the last progress, the final state) is still shown.
                while (events.Reader.TryRead(out var e))
                {
                    Report(e, jobId, progress);
                }
            }
        }
    }

    /// <summary><c>core.job_wait</c>, again after a reconnect: waiting changes nothing, so it is safe to repeat.</summary>
    private async Task<JsonElement> JobWaitAsync(long jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await CallRawAsync("core.job_wait", [jobId], timeout: null, cancellationToken);
            }
            catch (JobServerConnectionException) when (_options.AutoReconnect && !_disposed.IsCancellationRequested)
            {
                // The next call waits for the new connection.
            }
            catch (JobServerCallException refusal) when (refusal is not JobServerJobException)
            {
                throw await IsFinishedBadlyAsync(jobId, cancellationToken)
                    ? new JobServerJobException(jobId, refusal)
                    : refusal;
            }
        }
    }

    /// <summary>Whether job_wait's error is the job's own (it ended FAILED or ABORTED) or a refusal to wait.</summary>
    private async Task<bool> IsFinishedBadlyAsync(long jobId, CancellationToken cancellationToken)
    {
        try
        {
            var jobs = await CallAsync<JsonElement>("core.get_jobs",
                [new JsonArray(new JsonArray("id", "=", jobId))], cancellationToken);
            return jobs.ValueKind == JsonValueKind.Array && jobs.GetArrayLength() == 1
                && JobState(jobs[0]) is "FAILED" or "ABORTED";
        }
        catch (JobServerCallException)
        {
            return false;
        }
    }

    private static string? JobState(JsonElement job) =>
        job.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

    private static async Task PumpProgressAsync(JobServerSubscription events, long jobId, IProgress<JobProgress> progress,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in events.WithCancellation(cancellationToken))
            {
                Report(e, jobId, progress);
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended (or the caller stopped waiting).
        }
        catch (Exception e) when (e is JobServerCallException or JobServerConnectionException or ObjectDisposedException)
        {
            // The subscription ended; job_wait still tells the outcome.
        }
    }

    private static void Report(CollectionEvent e, long jobId, IProgress<JobProgress> progress)
    {
        if (e.Fields is not { ValueKind: JsonValueKind.Object } job || !job.TryGetProperty("id", out var id)
            || !id.TryGetInt64(out var n) || n != jobId)
        {
            return;
        }

        var state = JobState(job) ?? "";
        double? percent = null;
        string? description = null;
        JsonElement? extra = null;
        if (job.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            percent = p.TryGetProperty("percent", out var pc) && pc.TryGetDouble(out var value) ? value : null;
            description = p.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            extra = p.TryGetProperty("extra", out var x) && x.ValueKind != JsonValueKind.Null ? x : null;
        }

        progress.Report(new JobProgress(jobId, percent, description, extra, state));
    }
}
