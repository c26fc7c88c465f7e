using System.Text.Json;
using JobServer.Client;

namespace JobServer.Cli;

/// <summary>
/// Prints a job's log (<c>core.job_download_logs</c>); with <c>-f</c> prints what was added each time the job
/// changes, until it has ended. The daemon hands out logs whole, so each round skips what was already printed.
/// </summary>
internal sealed class JobLogFollower(JobServerClient client, long jobId)
{
    private static readonly string[] Finished = ["SUCCESS", "FAILED", "ABORTED"];
    private long _printed;

    public async Task RunAsync(bool follow, CancellationToken cancellationToken)
    {
        if (!follow)
        {
            await JobsCommands.GetJobAsync(client, jobId, cancellationToken);
            await PrintNewAsync(cancellationToken);
            return;
        }

        // Subscribed before the first read: a change between the read and the subscription is not missed.
        await using var events = await client.SubscribeAsync("core.get_jobs", cancellationToken);
        var job = await JobsCommands.GetJobAsync(client, jobId, cancellationToken);
        await PrintNewAsync(cancellationToken);
        while (!Finished.Contains(JobsCommands.Text(job, "state")))
        {
            job = await NextChangeAsync(events, cancellationToken);
            await PrintNewAsync(cancellationToken);
        }
    }

    private async Task<JsonElement> NextChangeAsync(JobServerSubscription events, CancellationToken cancellationToken)
    {
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            if (e.Fields is { } fields && fields.TryGetProperty("id", out var id) && id.TryGetInt64(out var n) && n == jobId)
            {
                return fields;
            }
        }

        throw new JobServerConnectionException("The job subscription ended");
    }

    private async Task PrintNewAsync(CancellationToken cancellationToken)
    {
        var url = await client.CallAsync<string>("core.job_download_logs", [jobId, $"job-{jobId}.log"], cancellationToken);
        await using var log = await client.OpenDownloadAsync(url, cancellationToken);
        await using var stdout = Console.OpenStandardOutput();
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = await log.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var skip = (int)Math.Clamp(_printed - position, 0, read);
            await stdout.WriteAsync(buffer.AsMemory(skip, read - skip), cancellationToken);
            position += read;
        }

        _printed = Math.Max(_printed, position);
    }
}
