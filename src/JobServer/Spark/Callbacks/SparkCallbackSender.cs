using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using JobServer.Calls;
using JobServer.Jobs;
using JobServer.Sdk;
using JobServer.Spark.Jobs;
using JobServer.Spark.Storage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace JobServer.Spark.Callbacks;

/// <summary>
/// Sends each job's callback once the job ends: at start every callback of the outbox not yet done (so a restart
/// between attempts still delivers), and each one <see cref="Track"/>ed by <c>POST /jobs</c>. Attempts go through
/// a Polly pipeline (exponential back-off with jitter, a per-attempt timeout) within the retry budget
/// <c>JobServer:Spark:CallbackAttempts</c>, counted across restarts; each attempt is written to the outbox (the
/// job's report shows it) and logged with the job and host only, never the payload.
/// </summary>
internal sealed partial class SparkCallbackSender(
    SparkCallbackOutbox outbox,
    SparkCallbackHttp http,
    JobManager jobs,
    IJobAwaiter awaiter,
    IOptions<SparkOptions> options,
    TimeProvider time,
    ILogger<SparkCallbackSender> logger) : BackgroundService
{
    /// <summary>Reads any job's document (ReadonlyAdmin sees every owner's); it calls nothing.</summary>
    private static readonly Caller Reader = new("spark-callbacks", null, [Role.ReadonlyAdmin], null, null);

    private readonly ConcurrentDictionary<long, Task> _deliveries = new();

    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>Sends <paramref name="callback"/>'s job's callback when it ends (its row is already stored).</summary>
    public void Track(SparkCallbackRecord callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _deliveries.GetOrAdd(callback.JobId, _ => Task.Run(() => DeliverAsync(callback), CancellationToken.None));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        foreach (var pending in await outbox.ListPendingAsync(stoppingToken))
        {
            Track(pending);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAll(_deliveries.Values);
        }
    }

    private async Task DeliverAsync(SparkCallbackRecord callback)
    {
        try
        {
            await awaiter.WaitForOutcomeAsync(callback.JobId, _stopping);
            var found = await jobs.QueryAsync(new JsonArray(new JsonArray("id", "=", callback.JobId)), null, Reader, _stopping);
            if ((found as JsonArray)?.FirstOrDefault() is not JsonObject job || SparkCallbackPayload.Of(job) is not { } payload)
            {
                await outbox.CloseAsync(callback.JobId, _stopping);
                return;
            }

            await SendAsync(callback, payload.ToJsonString());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The daemon stops: the outbox keeps the callback for the next start.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogGaveUp(callback.JobId, e.GetType().Name);
        }
        finally
        {
            _deliveries.TryRemove(callback.JobId, out _);
        }
    }

    private async Task SendAsync(SparkCallbackRecord callback, string body)
    {
        var settings = options.Value;
        var remaining = settings.CallbackAttempts - callback.Attempts;
        if (remaining <= 0)
        {
            await outbox.CloseAsync(callback.JobId, _stopping);
            return;
        }

        var sparkId = SparkJobIds.ToSpark(callback.JobId);
        var host = new Uri(callback.Url).Host;
        var made = callback.Attempts;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(remaining - 1, 0),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.CallbackBaseDelay,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !_stopping.IsCancellationRequested),
            })
            .AddTimeout(settings.CallbackAttemptTimeout)
            .Build();
        await pipeline.ExecuteAsync(async token =>
        {
            made++;
            string? error;
            try
            {
                error = await http.PostAsync(callback.Url, body, token);
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                // The per-attempt timeout fired: a failed attempt like any other (Polly retries it).
                error = $"timed out after {settings.CallbackAttemptTimeout}";
                await outbox.RecordAttemptAsync(callback.JobId, error, made >= settings.CallbackAttempts, CancellationToken.None);
                LogAttemptFailed(sparkId, host, made, settings.CallbackAttempts, error);
                throw;
            }

            var done = error is null || made >= settings.CallbackAttempts;
            await outbox.RecordAttemptAsync(callback.JobId, error, done, CancellationToken.None);
            if (error is null)
            {
                LogDelivered(sparkId, host, made);
                return;
            }

            LogAttemptFailed(sparkId, host, made, settings.CallbackAttempts, error);
            throw new SparkCallbackFailedException(error);
        }, _stopping);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback of Spark job {JobId} to {Host} delivered on attempt {Attempt}")]
    private partial void LogDelivered(string jobId, string host, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback of Spark job {JobId} to {Host}: attempt {Attempt} of {Budget} failed: {Error}")]
    private partial void LogAttemptFailed(string jobId, string host, int attempt, int budget, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback of engine job {JobId} abandoned ({ErrorType})")]
    private partial void LogGaveUp(long jobId, string errorType);
}

/// <summary>One callback attempt failed (what Polly retries).</summary>
internal sealed class SparkCallbackFailedException(string message) : Exception(message);
