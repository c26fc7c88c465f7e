using System.Diagnostics;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;
using JobServer.Bench.Scenarios;

namespace JobServer.Bench;

/// <summary>
/// Runs the chosen scenarios in order, each isolated: a scenario that throws is reported and the run goes on.
/// Exit code 1 when any scenario failed; in <c>--quick</c> mode a missing feature is "skipped", not a failure.
/// </summary>
internal static class BenchRunner
{
    private static readonly IScenario[] All =
    [
        new RpcRoundTripScenario(),
        new JobThroughputScenario(),
        new PickupLatencyScenario(),
        new LockScenario(),
        new TransferScenario(),
        new FanOutScenario(),
        new ColdStartScenario(),
        new ReliabilityScenario(),
        new RestScenario(),
        new JobctlStartScenario(),
        new ProcessJobsScenario(),
        new SparkSyncScenario(),
        new BatchScenario(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("dotnet run -c Release --project bench/JobServer.Bench -- [scenario…] [--quick]");
            Console.WriteLine("scenarios: " + string.Join(", ", All.Select(s => $"{s.Number}|{s.Name}")));
            Console.WriteLine("A full run of every scenario writes docs/benchmarks.md. Env BENCH_POSTGRES adds Hangfire on PostgreSQL.");
            return 0;
        }

        var settings = new BenchSettings(args.Contains("--quick"));
        var selectors = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = selectors.Where(s => !All.Any(c => c.Number == s || c.Name.Equals(s, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync("unknown scenario(s): " + string.Join(", ", unknown));
            return 2;
        }

        var chosen = All.Where(s => selectors.Count == 0 || selectors.Contains(s.Number) || selectors.Contains(s.Name)).ToList();
        Console.WriteLine($"JobServer benchmark ({(settings.Quick ? "quick" : "full")}): {MachineInfo.Describe()}");
        var loadAverage = MachineInfo.LoadAverage();
        Console.WriteLine($"daemon: {BenchPaths.DaemonDll}; load average {loadAverage}");
        var total = Stopwatch.StartNew();
        var results = new List<(string, ScenarioResult)>();
        foreach (var scenario in chosen)
        {
            var result = new ScenarioResult(scenario.Name, scenario.Title);
            Console.WriteLine();
            Console.WriteLine($"-- {scenario.Number}. {scenario.Title}");
            var watch = Stopwatch.StartNew();
            try
            {
                await scenario.RunAsync(settings, result);
            }
            catch (FeatureMissingException e)
            {
                result.Failure = (settings.Quick ? "skipped: " : "failed: ") + e.Message;
                if (settings.Quick)
                {
                    result.Notes.Add(result.Failure);
                    result.Failure = null;
                }
            }
            catch (Exception e)
            {
                result.Failure = $"failed: {e.GetType().Name}: {e.Message}";
            }

            ReportWriter.PrintScenario(result);
            foreach (var note in result.Notes.Where(n => n.StartsWith("skipped", StringComparison.Ordinal)))
            {
                Console.WriteLine($"   {note}");
            }

            Console.WriteLine($"   ({watch.Elapsed.TotalSeconds:N1} s)");
            results.Add((scenario.Number, result));
        }

        var failed = results.Where(r => r.Item2.Failed).Select(r => r.Item1).ToList();
        Console.WriteLine();
        Console.WriteLine($"done in {total.Elapsed.TotalSeconds:N1} s; " +
                          (failed.Count == 0 ? "no failures" : "failed scenarios: " + string.Join(", ", failed)));

        if (!settings.Quick && selectors.Count == 0)
        {
            var path = Path.Combine(BenchPaths.RepositoryRoot, "docs", "benchmarks.md");
            // bench/full-run.sh says so when it started a PostgreSQL for Hangfire; that is the command to repeat.
            var command = Environment.GetEnvironmentVariable("BENCH_COMMAND") is { Length: > 0 } wrapper
                ? wrapper
                : "dotnet run -c Release --project bench/JobServer.Bench" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
            await File.WriteAllTextAsync(path, ReportWriter.Markdown(results, command, TimeProvider.System.GetUtcNow(), loadAverage, settings.WarmUp));
            Console.WriteLine($"wrote {path}");
        }
        else
        {
            Console.WriteLine("docs/benchmarks.md not written (only a full run of every scenario writes it)");
        }

        return failed.Count == 0 ? 0 : 1;
    }
}
