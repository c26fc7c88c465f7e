using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 7. Process start to the first answered <c>core.ping</c> (over a fresh WebSocket, polled every 5 ms), on an
/// empty data dir and on a restart, and the idle resident memory; against the bare Kestrel echo process.
/// </summary>
internal sealed class ColdStartScenario : IScenario
{
    public string Number => "7";

    public string Name => "coldstart";

    public string Title => "Cold start and idle memory";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        result.Notes.Add("Start = `Process.Start` of `dotnet JobServer.dll …` to the first `core.ping` answered; the harness retries the WebSocket every 5 ms. The first start creates the database (migrations) and the root account (PBKDF2 at the default 210,000 iterations).");
        result.Notes.Add("Idle memory is VmRSS from /proc/<pid>/status 1 s after the first answer. The echo server is the same harness binary in `--echo-server` mode (Kestrel + WebSockets, no DI services, no database).");

        var firstStarts = new List<double>();
        var restarts = new List<double>();
        var echoStarts = new List<double>();
        var ourMemory = new List<double>();
        var echoMemory = new List<double>();
        // A full run adds a round 0 first: it warms the page cache and the JIT's disk caches, and is thrown away.
        for (var round = settings.ColdStartWarmUp ? 0 : 1; round <= settings.ColdStarts; round++)
        {
            var measured = round > 0;
            var dataDir = BenchPaths.NewTempDirectory("coldstart");
            try
            {
                await using (var fresh = await ServerProcess.StartDaemonAsync(dataDir: dataDir, waitReady: false))
                {
                    var ready = await fresh.WaitReadyAsync(TimeSpan.FromSeconds(60));
                    await Task.Delay(1000);
                    if (measured)
                    {
                        firstStarts.Add(Stats.Ms(fresh.StartedAt, ready));
                        ourMemory.Add(fresh.ResidentKiB / 1024.0 ?? double.NaN);
                    }
                }

                await using (var again = await ServerProcess.StartDaemonAsync(dataDir: dataDir, waitReady: false))
                {
                    var ready = await again.WaitReadyAsync(TimeSpan.FromSeconds(60));
                    if (measured)
                    {
                        restarts.Add(Stats.Ms(again.StartedAt, ready));
                    }
                }
            }
            finally
            {
                BenchPaths.DeleteQuietly(dataDir);
            }

            await using var echo = await ServerProcess.StartEchoAsync(waitReady: false);
            var echoReady = await echo.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(1000);
            if (measured)
            {
                echoStarts.Add(Stats.Ms(echo.StartedAt, echoReady));
                echoMemory.Add(echo.ResidentKiB / 1024.0 ?? double.NaN);
            }
        }

        var rounds = settings.ColdStarts;
        var echoStart = Rounds.Latency(echoStarts, rounds);
        result.Rows.Add(new Row("first start (empty data dir) → first ping", Rounds.Latency(firstStarts, rounds), "Kestrel echo start", echoStart));
        result.Rows.Add(new Row("restart (existing data dir) → first ping", Rounds.Latency(restarts, rounds), "Kestrel echo start", echoStart));
        result.Rows.Add(new Row("idle memory (VmRSS)", new Figure(Stats.Median(ourMemory), "MiB", rounds),
            "Kestrel echo", new Figure(Stats.Median(echoMemory), "MiB", rounds)));
        foreach (var row in result.Rows)
        {
            Console.WriteLine($"  {row.Measurement}: {row.Ours?.ValueText} vs {row.Peer?.ValueText}");
        }
    }
}
