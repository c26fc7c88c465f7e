using System.Diagnostics;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Submits a burst of jobs over DDP and waits until all are finished (their terminal <c>changed</c> events on
/// the watcher) and stored as SUCCESS (checked with a <c>core.get_jobs</c> count afterwards, outside the timing).
/// </summary>
internal static class JobBurst
{
    public sealed record Outcome(double JobsPerSecond, List<double> SubmitLatenciesMs, List<long> JobIds);

    public static async Task<Outcome> RunAsync(
        JobWatcher watcher, IReadOnlyList<DdpBenchClient> submitters, int window, int count,
        Func<int, (string Method, string Params)> call, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var submitted = await CallPump.RunAsync(submitters, count, window, call, keepReplies: true);
        var ids = submitted.Replies.Select(JobEngine.JobId).Distinct().ToList();
        var finished = await watcher.WaitFinishedAsync(ids, timeout);
        var seconds = Stats.Ms(started, finished) / 1000;

        var method = call(0).Method;
        var stored = await JobEngine.CountSucceededAsync(watcher.Client, method, ids.Min(), ids.Max());
        if (stored < ids.Count)
        {
            throw new InvalidOperationException($"{ids.Count} jobs reported SUCCESS but core.get_jobs counts {stored} stored as SUCCESS");
        }

        if (ids.Count != count)
        {
            throw new InvalidOperationException($"{count} calls made only {ids.Count} distinct jobs");
        }

        watcher.Clear();
        return new Outcome(count / seconds, submitted.LatenciesMs, ids);
    }
}
