using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 11. Process jobs (<c>[Job(Process = true)]</c>) with a warm worker pool beside the same no-op in-process jobs, in
/// one daemon: throughput, call → RUNNING and call → SUCCESS latency, and CPU per job of the daemon and its workers.
/// </summary>
internal sealed class ProcessJobsScenario : IScenario
{
    private const string ProcessNoop = "bench.process_noop";

    public string Number => "11";

    public string Name => "process";

    public string Title => "Process jobs (warm worker pool) beside in-process jobs";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        result.Notes.Add($"One daemon with the default worker pool (`PoolSize=2`, `MaxWorkers=16`) and `MaxJobsPerWorker=0` (no recycling inside a round, so every worker's CPU is counted). Throughput: {settings.Jobs:N0} calls of `{ProcessNoop}` (a no-op whose body runs in a worker) or `bench.noop` (the same in the daemon) from 16 connections × 16 in flight, timed to the last SUCCESS event. Latency: one job at a time, the call's send to its RUNNING and to its SUCCESS event ({settings.PickupSamples:N0} probes after the warm-up). CPU per job: the daemon, its workers (`core.get_workers` `cpu_seconds`, plus any reaped) and the harness.");
        await using var daemon = await ServerProcess.StartDaemonAsync([
            "--JobServer:WebSocket:MaxConcurrentCalls=128",
            "--JobServer:WebSocket:OutboundQueueMessages=65536",
            "--JobServer:Workers:MaxJobsPerWorker=0",
        ]);

        foreach (var (method, label) in new[] { ("bench.noop", "in-process"), (ProcessNoop, "process") })
        {
            var cpu = new WorkerCpu(daemon);
            var rate = await Outcomes.TryAsync(settings, () => ThroughputAsync(settings, daemon, method, cpu));
            var (running, finished) = await LatencyAsync(settings, daemon, method);
            Console.WriteLine($"  {label}: {rate.ValueText}; CPU per job {cpu.Describe()}; call → RUNNING {running.LatencyText}; call → SUCCESS {finished.LatencyText}");
            result.Rows.Add(new Row($"{label} no-op jobs, 16 connections × 16 in flight", rate, Note: $"CPU per job: {cpu.Describe()}"));
            result.Rows.Add(new Row($"{label}: call → RUNNING event, one at a time", running));
            result.Rows.Add(new Row($"{label}: call → SUCCESS event, one at a time", finished));
        }

        result.Notes.Add("Goal (issue 14): pickup p99 under 10 ms with a warm pool and at least 3,000 process jobs/s on this 2-core machine.");
    }

    private static async Task<Figure> ThroughputAsync(BenchSettings settings, ServerProcess daemon, string method, WorkerCpu cpu)
    {
        await using var watcher = await JobWatcher.StartAsync(daemon.WebSocketUri);
        var submitters = await CallPump.ConnectManyAsync(daemon.WebSocketUri, 16, login: true);
        try
        {
            return await Rounds.MeasureAsync(settings, "jobs/s", async () =>
            {
                await cpu.StartAsync(settings.Jobs);
                var burst = await JobBurst.RunAsync(watcher, submitters, 16, settings.Jobs, _ => (method, "[]"), settings.JobTimeout);
                await cpu.StopAsync();
                return new Rounds.Sample(burst.JobsPerSecond, burst.SubmitLatenciesMs);
            }, afterWarmUp: cpu.Reset);
        }
        finally
        {
            await CallPump.DisposeAllAsync(submitters);
        }
    }

    private static async Task<(Figure Running, Figure Finished)> LatencyAsync(BenchSettings settings, ServerProcess daemon, string method)
    {
        await using var watcher = await JobWatcher.StartAsync(daemon.WebSocketUri);
        await using var probe = await DdpBenchClient.ConnectAsync(daemon.WebSocketUri);
        await probe.LoginAsync();
        var warmUntil = Stopwatch.GetTimestamp() + (long)(settings.WarmUp.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < 10 || Stopwatch.GetTimestamp() < warmUntil; i++)
        {
            await ProbeAsync(settings, probe, watcher, method);
        }

        var running = new List<double>();
        var finished = new List<double>();
        for (var i = 0; i < settings.PickupSamples; i++)
        {
            var (toRunning, toFinished) = await ProbeAsync(settings, probe, watcher, method);
            finished.Add(toFinished);
            if (toRunning is { } value)
            {
                running.Add(value);
            }
        }

        watcher.Clear();
        return (Rounds.Latency(running, 1), Rounds.Latency(finished, 1));
    }

    private static async Task<(double? Running, double Finished)> ProbeAsync(BenchSettings settings, DdpBenchClient probe,
        JobWatcher watcher, string method)
    {
        var sent = Stopwatch.GetTimestamp();
        var id = JobEngine.JobId((await probe.CallAsync(method)).EnsureSuccess(method));
        var done = await watcher.WaitFinishedAsync([id], settings.JobTimeout);
        return (watcher.TryGetRunning(id, out var at) ? Stats.Ms(sent, at) : null, Stats.Ms(sent, done));
    }

    /// <summary>CPU of the daemon, of its workers (live ones through <c>core.get_workers</c>, reaped ones) and of the harness.</summary>
    private sealed class WorkerCpu(ServerProcess daemon)
    {
        private readonly CpuMeter _daemon = new(daemon.ProcessId);
        private IDisposable? _span;
        private double _workersAtStart;
        private double _workers;
        private long _items;
        private long _pending;

        public void Reset()
        {
            _daemon.Reset();
            _workers = 0;
            _items = 0;
        }

        public async Task StartAsync(long items)
        {
            _workersAtStart = await LiveWorkersCpuAsync();
            _span = _daemon.Measure(items);
            _pending = items;
        }

        public async Task StopAsync()
        {
            _span?.Dispose();
            _workers += await LiveWorkersCpuAsync() - _workersAtStart;
            _items += _pending;
        }

        public string Describe() => _items == 0
            ? "n/a"
            : $"{_daemon.Describe()} + live workers {(_workers * 1e6 / _items).ToString("N0", CultureInfo.InvariantCulture)} µs";

        private async Task<double> LiveWorkersCpuAsync()
        {
            await using var client = await DdpBenchClient.ConnectAsync(daemon.WebSocketUri);
            await client.LoginAsync();
            var reply = (await client.CallAsync("core.get_workers")).EnsureSuccess("core.get_workers");
            using var workers = JsonDocument.Parse(reply.Raw ?? "[]");
            return workers.RootElement.EnumerateArray().Sum(w => w.GetProperty("cpu_seconds").GetDouble());
        }
    }
}
