using JobServer.Bench.Reliability;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 8. The hardening probes run long (the test suite runs them short): each reports its figures, and any broken
/// promise (a crash, a hang, an error in the wrong shape, a lost or repeated job, an orphaned child process)
/// fails the scenario. Figures go to <c>docs/reliability.md</c>.
/// </summary>
internal sealed class ReliabilityScenario : IScenario
{
    public string Number => "8";

    public string Name => "reliability";

    public string Title => "Reliability probes (fuzzer, kill loop, sign-in storm)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        // BENCH_PROBES (names, comma-separated, such as "cluster failover loop") runs only those probes.
        var only = Environment.GetEnvironmentVariable("BENCH_PROBES")?.Split(',', StringSplitOptions.TrimEntries |
            StringSplitOptions.RemoveEmptyEntries);
        foreach (var probe in ReliabilityProbes.All.Where(p => only is not { Length: > 0 } || only.Contains(p.Name)))
        {
            var report = await probe.RunAsync(settings);
            foreach (var figure in report.Figures)
            {
                result.Rows.Add(new Row($"{probe.Name}: {figure.Measurement}", new Figure(figure.Value, figure.Unit, 1)));
            }

            foreach (var violation in report.Violations)
            {
                result.Rows.Add(new Row($"{probe.Name}: violation", Figure.Failed(violation)));
            }
        }
    }
}
