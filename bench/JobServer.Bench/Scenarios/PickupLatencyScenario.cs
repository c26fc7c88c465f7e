using System.Diagnostics;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 3. Pickup latency: from sending a job call to receiving that job's RUNNING event, on an idle daemon and
/// while 16 connections keep submitting no-op jobs (the load of scenario 2).
/// </summary>
internal sealed class PickupLatencyScenario : IScenario
{
    public string Number => "3";

    public string Name => "pickup";

    public string Title => "Pickup latency (call sent → RUNNING event received)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        result.Notes.Add($"{settings.PickupSamples:N0} probes after a warm-up of at least {settings.WarmUp.TotalSeconds:0} s, one `bench.noop` at a time (the next after the previous finished); latency = the probe call's send to its `changed` RUNNING event on a `core.get_jobs` subscription of another connection. Under load, 16 connections × 16 in flight submit no-op jobs the whole time, and probes are 5 ms apart.");
        result.Notes.Add("Anchor: graphile-worker publishes ~4 ms average add → start (Postgres on the same box); our target is p99 < 5 ms including the durable commit.");

        await using var daemon = await ServerProcess.StartDaemonAsync([
            "--JobServer:WebSocket:MaxConcurrentCalls=128",
            // The watcher is one harness connection that parses every event of ~20k jobs/s on a shared 2-core
            // machine: a GC pause of the harness can put more than the default 8,192 messages in its queue, and
            // the daemon then (rightly) drops it as too slow. The figure here is pickup, not that policy.
            "--JobServer:WebSocket:OutboundQueueMessages=65536",
        ]);
        var idle = await Outcomes.TryAsync(settings, async () =>
        {
            await using var watcher = await JobWatcher.StartAsync(daemon.WebSocketUri);
            return await ProbeAsync(settings, daemon, watcher, pauseMs: 0);
        });
        result.Rows.Add(new Row("idle daemon", idle));
        Console.WriteLine($"  idle: {idle.ValueText} {idle.LatencyText}");

        var loaded = await Outcomes.TryAsync(settings, async () =>
        {
            await using var watcher = await JobWatcher.StartAsync(daemon.WebSocketUri);
            var loaders = await CallPump.ConnectManyAsync(daemon.WebSocketUri, 16, login: true);
            using var stop = new CancellationTokenSource();
            var load = Task.WhenAll(loaders.SelectMany(c => Enumerable.Range(0, 16).Select(_ => LoadAsync(c, stop.Token))));
            try
            {
                return await ProbeAsync(settings, daemon, watcher, pauseMs: 5);
            }
            finally
            {
                await stop.CancelAsync();
                await load.ContinueWith(_ => { });
                await CallPump.DisposeAllAsync(loaders);
            }
        });
        result.Rows.Add(new Row("under load (16 × 16 no-op submitters)", loaded));
        Console.WriteLine($"  under load: {loaded.ValueText} {loaded.LatencyText}");
    }

    private static async Task LoadAsync(DdpBenchClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            (await client.CallAsync(JobEngine.NoopMethod)).EnsureSuccess(JobEngine.NoopMethod);
        }
    }

    private static async Task<Figure> ProbeAsync(BenchSettings settings, ServerProcess daemon, JobWatcher watcher, int pauseMs)
    {
        await using var probe = await DdpBenchClient.ConnectAsync(daemon.WebSocketUri);
        await probe.LoginAsync();
        // Warm up like every other figure (BenchSettings.WarmUp, and at least 10 probes): the first few hundred probes run tier-0 code
        // and then meet the JIT recompiling the hot path, which is start-up, not the steady state of a daemon.
        var warmUntil = Stopwatch.GetTimestamp() + (long)(settings.WarmUp.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < 10 || Stopwatch.GetTimestamp() < warmUntil; i++)
        {
            await ProbeOnceAsync(settings, probe, watcher, pauseMs);
        }

        var samples = new List<double>();
        var missing = 0;
        for (var i = 0; i < settings.PickupSamples; i++)
        {
            if (await ProbeOnceAsync(settings, probe, watcher, pauseMs) is { } sample)
            {
                samples.Add(sample);
            }
            else
            {
                missing++;
            }
        }

        if (samples.Count == 0)
        {
            throw new InvalidOperationException("no RUNNING event was seen for any probe job");
        }

        var figure = Rounds.Latency(samples, 1);
        return missing == 0 ? figure : figure with { Unit = $"ms ({missing} probes without a RUNNING event)" };
    }

    /// <summary>One probe job: its call's send to its RUNNING event, or null when no RUNNING event was seen.</summary>
    private static async Task<double?> ProbeOnceAsync(BenchSettings settings, DdpBenchClient probe, JobWatcher watcher, int pauseMs)
    {
        var sent = Stopwatch.GetTimestamp();
        var id = JobEngine.JobId((await probe.CallAsync(JobEngine.NoopMethod)).EnsureSuccess(JobEngine.NoopMethod));
        await watcher.WaitFinishedAsync([id], settings.JobTimeout);
        double? latency = watcher.TryGetRunning(id, out var running) ? Stats.Ms(sent, running) : null;
        if (pauseMs > 0)
        {
            await Task.Delay(pauseMs);
        }

        return latency;
    }
}
