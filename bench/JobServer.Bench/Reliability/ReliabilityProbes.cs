using JobServer.Bench.Infrastructure;
using JobServer.Probes;

namespace JobServer.Bench.Reliability;

/// <summary>The probes the reliability scenario runs, in order (one line each).</summary>
internal static class ReliabilityProbes
{
    public static readonly IReadOnlyList<ReliabilityProbe> All =
    [
        new("sign-in storm", SignInStormAsync),
        new("kill loop", KillLoopAsync),
    ];

    /// <summary>
    /// SIGKILL the daemon 100 times (quick: 5) under concurrent submitters, restarting it on the same data
    /// directory; <c>JOBSERVER_BENCH_KILLS</c> asks for another count.
    /// </summary>
    private static Task<ProbeReport> KillLoopAsync(BenchSettings settings)
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("JOBSERVER_BENCH_KILLS"),
            System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var asked)
            ? asked
            : settings.Quick ? 5 : 100;
        return KillLoop.RunAsync(new KillLoopOptions { Kills = kills });
    }

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
