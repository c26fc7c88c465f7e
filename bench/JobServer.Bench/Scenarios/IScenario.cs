using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>One benchmark scenario; it adds rows to its result and throws only for what ends it early.</summary>
internal interface IScenario
{
    /// <summary>What selects it on the command line: its number ("1") or its name ("rpc").</summary>
    string Number { get; }

    string Name { get; }

    string Title { get; }

    Task RunAsync(BenchSettings settings, ScenarioResult result);
}
