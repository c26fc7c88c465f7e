using JobServer.Probes.Fuzzing;
using Xunit.Abstractions;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// Issue 12's protocol fuzzer, short (a few thousand inputs, fixed seed) against a daemon process whose log it
/// reads; the benchmark's reliability scenario runs it long.
/// </summary>
public sealed class ProtocolFuzzerTests(ITestOutputHelper output)
{
    [Fact]
    public Task Fuzzer_ThreeThousandInputs_NoViolation() => FuzzAsync(overUnixSocket: false);

    /// <summary>The Unix socket is a door of its own (issue 19): its sessions start signed in as root.</summary>
    [Fact]
    public Task Fuzzer_OverTheUnixSocket_NoViolation() => FuzzAsync(overUnixSocket: true);

    private Task FuzzAsync(bool overUnixSocket) => WithDaemonAsync(async (daemon, dataDir) =>
    {
        var report = await ProtocolFuzzer.RunAsync(daemon.BaseUri, new ProtocolFuzzerOptions
        {
            Inputs = 3000,
            Seed = 12,
            Password = ProbeCredentials.RootPassword,
            DaemonLog = daemon.Log,
            UnixSocketPath = overUnixSocket ? Path.Combine(dataDir, "jobserver.sock") : null,
        });

        output.WriteLine(report.ToString());
        // The stack of the first error entry, if any, for whoever reads a failure.
        var lines = daemon.Log.Lines.ToList();
        var firstError = lines.FindIndex(l => l.Contains(" ERR] ", StringComparison.Ordinal));
        lines.Skip(Math.Max(firstError, 0)).Take(firstError < 0 ? 0 : 25).ToList().ForEach(output.WriteLine);

        report.Violations.Should().BeEmpty();
    });

    [Fact]
    public Task RestFuzzer_FifteenHundredMalformedRequests_No5xxAndNothingChanges() => WithDaemonAsync(async (daemon, _) =>
    {
        var report = await RestFuzzer.RunAsync(daemon.BaseUri, new ProtocolFuzzerOptions
        {
            Inputs = 1500,
            Seed = 17,
            Password = ProbeCredentials.RootPassword,
            DaemonLog = daemon.Log,
        });

        output.WriteLine(report.ToString());
        report.Violations.Should().BeEmpty();
    });

    /// <summary>A daemon process on a fresh data directory, deleted afterwards.</summary>
    private static async Task WithDaemonAsync(Func<DaemonProcess, string, Task> fuzz)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "jobserver-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            await using var daemon = await DaemonProcess.StartAsync(dataDir);
            await fuzz(daemon, dataDir);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
