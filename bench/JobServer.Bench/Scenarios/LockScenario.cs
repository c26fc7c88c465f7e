using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>4. Named locks: jobs spread over 10 locks against the same jobs with no lock.</summary>
internal sealed class LockScenario : IScenario
{
    private const int Locks = 10;

    public string Number => "4";

    public string Name => "locks";

    public string Title => "Named locks (jobs over 10 locks vs no lock)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var jobs = settings.LockedJobs;
        result.Notes.Add($"`bench.locked(key)` is `[Job(Lock = \"bench:{{0}}\", LockQueueSize = 1_000_000)]` with key = i mod {Locks}; the unlocked run uses `bench.noop`. Both: {jobs:N0} jobs from 16 connections × 16 in flight, end to end as in scenario 2. The ratio is the throughput kept under locks.");

        await using var daemon = await ServerProcess.StartDaemonAsync(["--JobServer:WebSocket:MaxConcurrentCalls=128"]);
        Figure? unlocked = null;
        var locked = await Outcomes.TryAsync(settings, async () =>
        {
            await using var watcher = await JobWatcher.StartAsync(daemon.WebSocketUri);
            var submitters = await CallPump.ConnectManyAsync(daemon.WebSocketUri, 16, login: true);
            try
            {
                Task<Figure> MeasureAsync(Func<int, (string, string)> call) =>
                    Rounds.MeasureAsync(settings, "jobs/s", async () =>
                    {
                        var burst = await JobBurst.RunAsync(watcher, submitters, 16, jobs, call, settings.JobTimeout);
                        return new Rounds.Sample(burst.JobsPerSecond, burst.SubmitLatenciesMs);
                    });

                unlocked = await MeasureAsync(_ => (JobEngine.NoopMethod, "[]"));
                return await MeasureAsync(i => (JobEngine.LockedMethod, $"[\"k{i % Locks}\"]"));
            }
            finally
            {
                await CallPump.DisposeAllAsync(submitters);
            }
        });
        unlocked ??= locked.Missing is null ? null : locked;
        result.Rows.Add(new Row($"{jobs:N0} jobs over {Locks} named locks", locked, "same jobs, no lock", unlocked));
        Console.WriteLine($"  locked: {locked.ValueText}; unlocked: {unlocked?.ValueText}");
    }
}
