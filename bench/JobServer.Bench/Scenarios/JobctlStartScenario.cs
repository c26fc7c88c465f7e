using System.Diagnostics;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 9. <c>jobctl ping</c> wall time, process start to exit, over the daemon's Unix socket (no credentials): the
/// Native AOT binary (<c>dotnet publish -r linux-x64</c>, as it ships) and the ReadyToRun build
/// (<c>-p:PublishAot=false</c>), beside the native binary's <c>--version</c> (no connection) as the floor.
/// Issue 19's goal: under 150 ms. Skipped in <c>--quick</c>: publishing takes a minute or two.
/// </summary>
internal sealed class JobctlStartScenario : IScenario
{
    private const int WarmUps = 3;
    private const int Runs = 30;

    public string Number => "10";

    public string Name => "jobctl";

    public string Title => "jobctl start: ping over the Unix socket";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        if (settings.Quick)
        {
            throw new FeatureMissingException("jobctl is published (Native AOT and ReadyToRun) for this scenario: full runs only");
        }

        var aotDir = BenchPaths.NewTempDirectory("jobctl-aot");
        var r2rDir = BenchPaths.NewTempDirectory("jobctl-r2r");
        try
        {
            await PublishAsync(r2rDir, "-p:PublishAot=false");
            var aot = await PublishAsync(aotDir) is null ? Path.Combine(aotDir, "jobctl") : null;
            await using var daemon = await ServerProcess.StartDaemonAsync();
            string[] ping = ["-u", $"ws+unix://{Path.Combine(daemon.DataDir!, "jobserver.sock")}", "ping"];
            var (r2rMs, r2rCpu) = await TimeAsync(BenchPaths.DotnetHost, [Path.Combine(r2rDir, "jobctl.dll"), .. ping]);
            var r2rFloor = await TimeAsync(BenchPaths.DotnetHost, [Path.Combine(r2rDir, "jobctl.dll"), "--version"]);

            result.Notes.Add($"{WarmUps} warm-up runs, then {Runs} runs each; wall = Process.Start to exit; CPU = the child's user + system time (the harness's cutime). The daemon's share is one ping over one WebSocket (microseconds).");
            result.Notes.Add("Native AOT: `dotnet publish src/JobServer.Cli -c Release -r linux-x64` (the csproj's default; needs clang). ReadyToRun: the same with `-p:PublishAot=false`, run as `dotnet jobctl.dll`. Floor: each build's own `--version` (process start, runtime, System.CommandLine; no connection).");
            if (aot is not null)
            {
                var (aotMs, aotCpu) = await TimeAsync(aot, ping);
                var aotFloor = await TimeAsync(aot, ["--version"]);
                result.Rows.Add(new Row("jobctl ping, Native AOT", Rounds.Latency(aotMs, 1), "its --version", Rounds.Latency(aotFloor.Wall, 1)));
                result.Rows.Add(new Row("CPU per ping, Native AOT", new Figure(Stats.Median(aotCpu), "ms", 1)));
            }
            else
            {
                result.Rows.Add(new Row("jobctl ping, Native AOT", Figure.Skipped("the AOT publish failed (is clang installed?)")));
            }

            result.Rows.Add(new Row("jobctl ping, ReadyToRun", Rounds.Latency(r2rMs, 1), "its --version", Rounds.Latency(r2rFloor.Wall, 1)));
            result.Rows.Add(new Row("CPU per ping, ReadyToRun", new Figure(Stats.Median(r2rCpu), "ms", 1)));
            foreach (var row in result.Rows)
            {
                Console.WriteLine($"  {row.Measurement}: {row.Ours?.ValueText} vs {row.Peer?.ValueText}");
            }
        }
        finally
        {
            BenchPaths.DeleteQuietly(aotDir);
            BenchPaths.DeleteQuietly(r2rDir);
        }
    }

    /// <summary>Publishes jobctl; null on success, else what the SDK said.</summary>
    private static async Task<string?> PublishAsync(string output, params string[] extra)
    {
        var project = Path.Combine(BenchPaths.RepositoryRoot, "src", "JobServer.Cli", "JobServer.Cli.csproj");
        using var publish = Process.Start(new ProcessStartInfo(BenchPaths.DotnetHost,
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo", "-v", "q", .. extra])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        var said = await stdout + await stderr;
        if (publish.ExitCode != 0 && extra.Length > 0)
        {
            throw new InvalidOperationException($"dotnet publish jobctl {string.Join(' ', extra)} failed: {said}");
        }

        return publish.ExitCode == 0 ? null : said;
    }

    /// <summary>Wall and CPU milliseconds of each run after the warm-ups.</summary>
    private static async Task<(List<double> Wall, List<double> Cpu)> TimeAsync(string program, string[] args)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < WarmUps + Runs; i++)
        {
            var cpuBefore = ProcessCpu.ReapedChildren(Environment.ProcessId);
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(new ProcessStartInfo(program, args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var ended = Stopwatch.GetTimestamp();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"jobctl {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await process.StandardError.ReadToEndAsync()}");
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
