using JobServer.Probes;

namespace JobServer.Bench.Reliability;

/// <summary>
/// One probe of the reliability scenario: it starts what it needs (a daemon process, clients), runs a
/// <c>JobServer.Probes</c> probe at the size the settings ask for, and returns its report.
/// </summary>
internal sealed record ReliabilityProbe(string Name, Func<BenchSettings, Task<ProbeReport>> RunAsync);
