using JobServer.Bench.Infrastructure;
using JobServer.Probes;
using JobServer.Probes.Fuzzing;

namespace JobServer.Bench.Reliability;

/// <summary>The probes the reliability scenario runs, in order (one line each).</summary>
internal static class ReliabilityProbes
{
    public static readonly IReadOnlyList<ReliabilityProbe> All =
    [
        new("sign-in storm", SignInStormAsync),
        new("protocol fuzzer", ProtocolFuzzerAsync),
        new("kill loop", KillLoopAsync),
        new("cluster failover loop", ClusterKillLoopAsync),
    ];

    /// <summary>
    /// 1,000,000 fuzzed inputs (quick: 20,000) over both dialects against a daemon as it ships, its log checked.
    /// <c>BENCH_FUZZ_INPUTS</c> and <c>BENCH_FUZZ_SEED</c> change the size and the seed.
    /// </summary>
    private static async Task<ProbeReport> ProtocolFuzzerAsync(BenchSettings settings)
    {
        await using var daemon = await ServerProcess.StartDaemonAsync();
        return await ProtocolFuzzer.RunAsync(daemon.BaseUri, new ProtocolFuzzerOptions
        {
            Inputs = EnvironmentNumber("BENCH_FUZZ_INPUTS") ?? (settings.Quick ? 20_000 : 1_000_000),
            Seed = EnvironmentNumber("BENCH_FUZZ_SEED") ?? 12,
            Password = ServerProcess.RootPassword,
            DaemonLog = daemon.Log,
        });
    }

    /// <summary>
    /// SIGKILL the daemon 100 times (quick: 5) under concurrent submitters, restarting it on the same data
    /// directory; <c>BENCH_KILLS</c> asks for another count.
    /// </summary>
    private static Task<ProbeReport> KillLoopAsync(BenchSettings settings) =>
        KillLoop.RunAsync(new KillLoopOptions { Kills = EnvironmentNumber("BENCH_KILLS") ?? (settings.Quick ? 5 : 100) });

    /// <summary>
    /// Two nodes on one PostgreSQL (<c>BENCH_POSTGRES</c>, a user who may create databases), killed in turn 100 times
    /// (quick: 5; <c>BENCH_CLUSTER_KILLS</c>) with the default heartbeat and node timeout: issue 18's failover loop.
    /// Without <c>BENCH_POSTGRES</c> it reports that it did not run.
    /// </summary>
    private static async Task<ProbeReport> ClusterKillLoopAsync(BenchSettings settings)
    {
        if (Environment.GetEnvironmentVariable("BENCH_POSTGRES") is not { Length: > 0 } server)
        {
            var skipped = new ProbeReport("cluster failover loop");
            skipped.AddFigure("not run (set BENCH_POSTGRES)", 0, "kills");
            return skipped;
        }

        return await ClusterKillLoop.RunAsync(new ClusterKillLoopOptions
        {
            Server = server,
            Kills = EnvironmentNumber("BENCH_CLUSTER_KILLS") ?? (settings.Quick ? 5 : 100),
        });
    }

    private static int? EnvironmentNumber(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture,
            out var value) ? value : null;

    /// <summary>300 clients (quick: 30) sign in at once to a daemon as it ships (210,000 PBKDF2 iterations).</summary>
    private static async Task<ProbeReport> SignInStormAsync(BenchSettings settings)
    {
        await using var daemon = await ServerProcess.StartDaemonAsync();
        return await SignInStorm.RunAsync(daemon.BaseUri, new SignInStormOptions
        {
            Clients = settings.Quick ? 30 : 300,
            Password = ServerProcess.RootPassword,
            DaemonResidentBytes = () => daemon.ResidentKiB * 1024,
        });
    }
}
