using System.Diagnostics;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 9. <c>jobctl ping</c> wall time, process start to exit, over the daemon's Unix socket (no credentials): the
/// published CLI as it ships (ReadyToRun), beside the same binary's <c>--version</c> (the .NET host's own start,
/// no connection) as the floor. Issue 19's goal: under 150 ms. Skipped in <c>--quick</c>: publishing takes ~30 s.
/// </summary>
internal sealed class JobctlStartScenario : IScenario
{
    private const int WarmUps = 3;

    public string Number => "9";

    public string Name => "jobctl";

    public string Title => "jobctl start: ping over the Unix socket";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        if (settings.Quick)
        {
            throw new FeatureMissingException("jobctl is published ReadyToRun for this scenario (~30 s): full runs only");
        }

        var publishDir = BenchPaths.NewTempDirectory("jobctl");
        try
        {
            await PublishAsync(publishDir);
            await using var daemon = await ServerProcess.StartDaemonAsync();
            var jobctl = Path.Combine(publishDir, "jobctl.dll");
            string[] ping = [jobctl, "-u", $"ws+unix://{Path.Combine(daemon.DataDir!, "jobserver.sock")}", "ping"];
            const int runs = 30;
            var (pingMs, pingCpu) = await TimeAsync(ping, runs);
            var (floorMs, floorCpu) = await TimeAsync([jobctl, "--version"], runs);

            result.Notes.Add($"`dotnet jobctl.dll` published with `dotnet publish src/JobServer.Cli -c Release -r linux-x64` (ReadyToRun, as the csproj sets), {WarmUps} warm-up runs, then {runs} runs each; wall = Process.Start to exit; CPU = the child's user + system time (the harness's cutime).");
            result.Notes.Add("Floor: the same binary's `--version` (the .NET host, the runtime and System.CommandLine, no connection). The rest is the WebSocket over the socket, the handshake and one call; the daemon's share is one ping (microseconds).");
            result.Rows.Add(new Row("jobctl ping (Unix socket)", Rounds.Latency(pingMs, 1), "jobctl --version", Rounds.Latency(floorMs, 1)));
            result.Rows.Add(new Row("CPU per jobctl ping", new Figure(Stats.Median(pingCpu), "ms", 1), "per --version",
                new Figure(Stats.Median(floorCpu), "ms", 1)));
            foreach (var row in result.Rows)
            {
                Console.WriteLine($"  {row.Measurement}: {row.Ours?.ValueText} vs {row.Peer?.ValueText}");
            }
        }
        finally
        {
            BenchPaths.DeleteQuietly(publishDir);
        }
    }

    private static async Task PublishAsync(string output)
    {
        var project = Path.Combine(BenchPaths.RepositoryRoot, "src", "JobServer.Cli", "JobServer.Cli.csproj");
        using var publish = Process.Start(new ProcessStartInfo(BenchPaths.DotnetHost,
            ["publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish jobctl failed: {await stdout}{await stderr}");
        }
    }

    /// <summary>Wall and CPU milliseconds of each run after the warm-ups.</summary>
    private static async Task<(List<double> Wall, List<double> Cpu)> TimeAsync(string[] args, int runs)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < WarmUps + runs; i++)
        {
            var cpuBefore = ProcessCpu.ReapedChildren(Environment.ProcessId);
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(new ProcessStartInfo(BenchPaths.DotnetHost, args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var ended = Stopwatch.GetTimestamp();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"jobctl {string.Join(' ', args[1..])} exited {process.ExitCode}: {await output}{await process.StandardError.ReadToEndAsync()}");
            }

            if (i >= WarmUps)
            {
                wall.Add(Stats.Ms(started, ended));
                cpu.Add((ProcessCpu.ReapedChildren(Environment.ProcessId) - cpuBefore).TotalMilliseconds);
            }
        }

        return (wall, cpu);
    }
}
