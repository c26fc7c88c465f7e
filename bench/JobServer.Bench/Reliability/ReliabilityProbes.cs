using JobServer.Bench.Infrastructure;
using JobServer.Probes;

namespace JobServer.Bench.Reliability;

/// <summary>The probes the reliability scenario runs, in order (one line each).</summary>
internal static class ReliabilityProbes
{
    public static readonly IReadOnlyList<ReliabilityProbe> All =
    [
        new("sign-in storm", SignInStormAsync),
    ];

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
