using JobServer.Bench.Infrastructure;
using JobServer.Bench.Peers;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 2. End-to-end throughput of no-op jobs: submitted over DDP, run, and stored as SUCCESS; against Hangfire
/// (in-memory, and PostgreSQL when <c>BENCH_POSTGRES</c> is set) and the raw SQLite insert ceiling.
/// </summary>
internal sealed class JobThroughputScenario : IScenario
{
    public string Number => "2";

    public string Name => "jobs";

    public string Title => "Job throughput (no-op jobs, submit → SUCCESS stored)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var jobs = settings.Jobs;
        result.Notes.Add($"JobServer: {jobs:N0} `bench.noop` calls, then wait for every job's terminal `changed` event on a `core.get_jobs` subscription; the round's time ends at the last SUCCESS event, and a `core.get_jobs` count (`state = SUCCESS`, `count: true`) then checks all are stored. p50/p99 are the submit round trips (call → job id).");
        result.Notes.Add($"Hangfire: in-process `BackgroundJobServer` (default {Math.Min(Environment.ProcessorCount * 5, 20)} workers on this machine), {jobs:N0} `Enqueue` of an empty static method from 1 or 16 threads, timed to the {jobs:N0}th Succeeded state (an `IApplyStateFilter`). Hangfire runs inside the harness, with no network hop: it is the peer, not a like-for-like client/server figure. Hangfire is LGPL-3.0, used only by this benchmark.");
        result.Notes.Add($"SQLite: one prepared INSERT of a job-shaped row into a temp file, WAL, `synchronous=FULL` ({settings.SqliteRows:N0} rows at 1000 per transaction; {settings.SqliteSingleRows:N0} rows at one per transaction, which is one fsync per row).");

        var sqliteBatched = await Rounds.MeasureAsync(settings, "rows/s", () => Task.FromResult(new Rounds.Sample(SqliteCeiling.RowsPerSecond(settings.SqliteRows, 1000))));
        var sqliteSingle = await Rounds.MeasureAsync(settings, "rows/s", () => Task.FromResult(new Rounds.Sample(SqliteCeiling.RowsPerSecond(settings.SqliteSingleRows, 1))));
        Console.WriteLine($"  SQLite ceiling: {sqliteBatched.ValueText} (1000/tx), {sqliteSingle.ValueText} (1/tx)");

        async Task<Figure> HangfireAsync(Func<Hangfire.JobStorage> storage, int producers, int count) =>
            await Outcomes.TryAsync(settings, () => Rounds.MeasureAsync(settings, "jobs/s", async () =>
                new Rounds.Sample(await HangfireBaseline.RunAsync(storage(), count, producers, settings.JobTimeout))));
        var hangfireOne = await HangfireAsync(HangfireBaseline.InMemory, 1, jobs);
        var hangfireMany = await HangfireAsync(HangfireBaseline.InMemory, 16, jobs);
        Console.WriteLine($"  {HangfireBaseline.InMemoryName}: {hangfireOne.ValueText} (1 producer), {hangfireMany.ValueText} (16 producers)");

        await using var daemon = await ServerProcess.StartDaemonAsync(["--JobServer:WebSocket:MaxConcurrentCalls=128"]);
        var cpuOne = new CpuMeter(daemon.ProcessId);
        var oursOne = await Outcomes.TryAsync(settings, () => MeasureOursAsync(settings, daemon, 1, 64, cpuOne));
        var cpuMany = new CpuMeter(daemon.ProcessId);
        var oursMany = await Outcomes.TryAsync(settings, () => MeasureOursAsync(settings, daemon, 16, 16, cpuMany));
        Console.WriteLine($"  JobServer: {oursOne.ValueText} (1 connection), {oursMany.ValueText} (16 connections)");
        Console.WriteLine($"  CPU per job: {cpuOne.Describe()} (1 connection), {cpuMany.Describe()} (16 connections)");
        result.Notes.Add("JobServer runs with its default `JobServer:Jobs:Synchronous=FULL` (every commit fsynced: durable on power loss) except in the row marked `synchronous=NORMAL` (durable on a process crash; SQLite WAL may lose the last commits on power loss).");

        // The same with SQLite synchronous=NORMAL (durable on a process crash, may lose the last commits on power loss).
        await using var normal = await ServerProcess.StartDaemonAsync(
            ["--JobServer:WebSocket:MaxConcurrentCalls=128", "--JobServer:Jobs:Synchronous=NORMAL"]);
        var cpuNormal = new CpuMeter(normal.ProcessId);
        var oursNormal = await Outcomes.TryAsync(settings, () => MeasureOursAsync(settings, normal, 16, 16, cpuNormal));
        Console.WriteLine($"  JobServer, synchronous=NORMAL: {oursNormal.ValueText} (16 connections), CPU per job {cpuNormal.Describe()}");
        result.Notes.Add($"CPU time per job over the measured JobServer rounds (a figure the machine's other load hardly skews, unlike a rate): {cpuOne.Describe()} with 1 connection, {cpuMany.Describe()} with 16, {cpuNormal.Describe()} with 16 and `synchronous=NORMAL`.");

        result.Rows.Add(new Row($"{jobs:N0} jobs, 1 connection × 64 in flight", oursOne, HangfireBaseline.InMemoryName + ", 1 producer", hangfireOne));
        result.Rows.Add(new Row($"{jobs:N0} jobs, 16 connections × 16 in flight", oursMany, HangfireBaseline.InMemoryName + ", 16 producers", hangfireMany));
        result.Rows.Add(new Row($"{jobs:N0} jobs, 16 connections × 16 in flight, `synchronous=NORMAL`", oursNormal, HangfireBaseline.InMemoryName + ", 16 producers", hangfireMany));
        if (Environment.GetEnvironmentVariable("BENCH_POSTGRES") is { Length: > 0 } postgres)
        {
            // ~100× slower than in memory: a tenth of the jobs per round keeps a round near 10 s (rates compare).
            var pgJobs = Math.Max(jobs / 10, 1);
            var pgOne = await HangfireAsync(() => HangfireBaseline.Postgres(postgres), 1, pgJobs);
            var pgMany = await HangfireAsync(() => HangfireBaseline.Postgres(postgres), 16, pgJobs);
            result.Rows.Add(new Row($"{jobs:N0} jobs, 1 connection", oursOne, $"{HangfireBaseline.PostgresName}, 1 producer, {pgJobs:N0} jobs", pgOne));
            result.Rows.Add(new Row($"{jobs:N0} jobs, 16 connections", oursMany, $"{HangfireBaseline.PostgresName}, 16 producers, {pgJobs:N0} jobs", pgMany));
        }
        else
        {
            result.Notes.Add("Hangfire on PostgreSQL: not measured (set `BENCH_POSTGRES` to a connection string).");
        }

        result.Rows.Add(new Row("vs the durable-insert ceiling, 1000 rows per transaction", oursMany, "SQLite prepared INSERT, FULL", sqliteBatched));
        result.Rows.Add(new Row("vs one commit per job", oursMany, "SQLite prepared INSERT, 1 row/tx, FULL", sqliteSingle));
    }

    private static async Task<Figure> MeasureOursAsync(BenchSettings settings, ServerProcess daemon, int connections, int window,
        CpuMeter cpu)
    {
        await using var watcher = await JobWatcher.StartAsync(daemon.WebSocketUri);
        var submitters = await CallPump.ConnectManyAsync(daemon.WebSocketUri, connections, login: true);
        try
        {
            return await Rounds.MeasureAsync(settings, "jobs/s", async () =>
            {
                using var measuring = cpu.Measure(settings.Jobs);
                var burst = await JobBurst.RunAsync(watcher, submitters, window, settings.Jobs,
                    _ => (JobEngine.NoopMethod, "[]"), settings.JobTimeout);
                return new Rounds.Sample(burst.JobsPerSecond, burst.SubmitLatenciesMs);
            }, afterWarmUp: cpu.Reset);
        }
        finally
        {
            await CallPump.DisposeAllAsync(submitters);
        }
    }
}
