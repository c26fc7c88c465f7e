using System.Diagnostics;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 6. Many connections: the daemon's memory per authenticated, subscribed connection (against bare Kestrel
/// WebSockets), and how long a job's state change takes to reach every one of 1,000 subscribers.
/// </summary>
internal sealed class FanOutScenario : IScenario
{
    public string Number => "6";

    public string Name => "fanout";

    public string Title => "Connections and event fan-out";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var n = settings.FanOutConnections;
        result.Notes.Add($"{n:N0} WebSockets, each signed in as root and subscribed to `core.get_jobs`. The daemon seeds root with `--JobServer:Auth:PasswordIterations=1000` so {n:N0} logins do not dominate the run (login cost is not what this measures).");
        result.Notes.Add("Memory per connection = (VmRSS after connecting and subscribing, 1 s later − VmRSS before) ÷ connections; the echo column is the same for bare Kestrel WebSockets (handshake only). GC timing makes this approximate.");
        result.Notes.Add($"Fan-out: {settings.FanOutJobs} `bench.noop` jobs one after another; per job, the spread from the first to the last subscriber receiving its SUCCESS event, the call's send to the last subscriber, and (when the event carries `time_finished`) the server's finish time to the last subscriber (wall clock, ms resolution).");
        result.Notes.Add($"Open-file limits: harness {OpenFileLimit("self")}; the daemon inherits it.");

        await using var daemon = await ServerProcess.StartDaemonAsync(["--JobServer:Auth:PasswordIterations=1000"]);
        await using var echo = await ServerProcess.StartEchoAsync();
        var tracker = new FanOutTracker();
        var echoMemory = await Outcomes.TryAsync(settings, () => MemoryPerConnectionAsync(echo, n, login: false, null));
        List<DdpBenchClient> subscribers = [];
        FeatureMissingException? noSubscription = null;
        var ourMemory = await Outcomes.TryAsync(settings, () =>
            MemoryPerConnectionAsync(daemon, n, login: true, async clients =>
            {
                subscribers = clients;
                foreach (var client in clients)
                {
                    client.OnEvent = tracker.Record;
                }

                try
                {
                    await JobEngine.SubscribeJobsAsync(clients[0]);
                }
                catch (FeatureMissingException e)
                {
                    // Still worth the memory figure for signed-in connections; the fan-out part is skipped.
                    noSubscription = e;
                    return;
                }

                foreach (var chunk in clients.Skip(1).Chunk(64))
                {
                    await Task.WhenAll(chunk.Select(c => c.SubscribeAsync("core.get_jobs")));
                }
            }));
        result.Rows.Add(new Row(noSubscription is null ? "memory per connection (signed in, subscribed)" : "memory per connection (signed in; no core.get_jobs subscription yet)", ourMemory, "Kestrel echo WebSocket", echoMemory));
        Console.WriteLine($"  memory per connection: {ourMemory.ValueText} vs echo {echoMemory.ValueText}");

        try
        {
            if (noSubscription is not null || ourMemory.Missing is not null)
            {
                var reason = noSubscription?.Message ?? "no subscribers";
                result.Rows.Add(new Row($"fan-out to {n:N0} subscribers", settings.Quick ? Figure.Skipped(reason) : Figure.Failed(reason)));
                return;
            }

            var (spread, sendToLast, finishToLast) = await FanOutAsync(settings, daemon, tracker, n);
            result.Rows.Add(new Row($"first → last of {n:N0} subscribers", spread));
            result.Rows.Add(new Row($"call sent → last of {n:N0} subscribers has SUCCESS", sendToLast));
            result.Rows.Add(new Row($"server time_finished → last of {n:N0} subscribers", finishToLast));
            Console.WriteLine($"  fan-out: spread {spread.LatencyText}, send→last {sendToLast.LatencyText}, finish→last {finishToLast.LatencyText}");
        }
        finally
        {
            await CallPump.DisposeAllAsync(subscribers);
        }
    }

    private static async Task<Figure> MemoryPerConnectionAsync(
        ServerProcess server, int n, bool login, Func<List<DdpBenchClient>, Task>? prepare)
    {
        await Task.Delay(1000);
        var before = server.ResidentKiB ?? throw new FeatureMissingException("/proc/<pid>/status is not readable here");
        var clients = await CallPump.ConnectManyAsync(server.WebSocketUri, n, login);
        var keep = false;
        try
        {
            if (prepare is not null)
            {
                await prepare(clients);
                keep = true;
            }

            await Task.Delay(1000);
            var after = server.ResidentKiB ?? before;
            return new Figure((after - before) / (double)n, "KiB/connection", 1);
        }
        finally
        {
            if (!keep)
            {
                await CallPump.DisposeAllAsync(clients);
            }
        }
    }

    private static async Task<(Figure Spread, Figure SendToLast, Figure FinishToLast)> FanOutAsync(
        BenchSettings settings, ServerProcess daemon, FanOutTracker tracker, int n)
    {
        await using var sender = await DdpBenchClient.ConnectAsync(daemon.WebSocketUri);
        await sender.LoginAsync();
        await JobEngine.EnsureAvailableAsync(sender);
        var wallBase = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var stopwatchBase = Stopwatch.GetTimestamp();
        List<double> spread = [], sendToLast = [], finishToLast = [];
        for (var i = 0; i < settings.FanOutJobs; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            var id = JobEngine.JobId((await sender.CallAsync(JobEngine.NoopMethod)).EnsureSuccess(JobEngine.NoopMethod));
            var entry = tracker.For(id);
            var deadline = Stopwatch.GetTimestamp() + (long)(settings.JobTimeout.TotalSeconds * Stopwatch.Frequency);
            while (entry.Count < n)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"job {id}: only {entry.Count} of {n} subscribers saw SUCCESS");
                }

                await Task.Delay(2);
            }

            spread.Add(Stats.Ms(entry.First, entry.Last));
            sendToLast.Add(Stats.Ms(sent, entry.Last));
            if (entry.TimeFinishedMs is { } finished)
            {
                finishToLast.Add(wallBase + Stats.Ms(stopwatchBase, entry.Last) - finished);
            }

            await Task.Delay(50);
        }

        var rounds = settings.FanOutJobs;
        return (Rounds.Latency(spread, rounds), Rounds.Latency(sendToLast, rounds),
            finishToLast.Count > 0 ? Rounds.Latency(finishToLast, rounds) : Figure.Skipped("the SUCCESS event carries no time_finished"));
    }

    private static string OpenFileLimit(string pid)
    {
        var path = $"/proc/{pid}/limits";
        var line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) : null;
        return line is null ? "unknown" : "max open files " + string.Join(" / ", line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));
    }
}
