using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 13. Batch jobs fanned out to device agents (issue 16): one job to 1,000 destinations, POST → last task
/// resolved; and sustained tasks/s through 100 agents. The agents live in the harness, each with its own
/// WebSocket and <c>BATCH_AGENT</c> key, and answer every task at once. The ceiling is the bare WebSocket round
/// trip of the same number of connections against the Kestrel echo: three sequential calls per task (ack,
/// progress, result), so the daemon's own share — storing, settling, pushing — is what separates the two.
/// </summary>
internal sealed class BatchScenario : IScenario
{
    /// <summary>Agent calls per task: ack, progress, result.</summary>
    private const int CallsPerTask = 3;

    public string Number => "13";

    public string Name => "batch";

    public string Title => "Batch fan-out to device agents";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var destinations = settings.BatchDestinations;
        var sustainedAgents = Math.Min(settings.BatchSustainedAgents, destinations);
        var perDestination = settings.BatchTasksPerDestination;
        result.Notes.Add($"{destinations:N0} agents in the harness, each its own WebSocket signed in with its own `BATCH_AGENT` key, registered for its own destination; per pushed task each calls `batch.agent.ack`, `batch.agent.progress` (50) and `batch.agent.result` ({{status: 200}}) one after another, as `jobctl agent` does with a device that answers at once. A task counts when the daemon acknowledged its result (stored, so it survives kill -9).");
        result.Notes.Add($"Fan-out: one `POST /batch/jobs` (Bearer key) with one entry to all {destinations:N0} destinations; the time from the POST to the last acknowledged result, median of {settings.Rounds} rounds. Goal (issue 16): ≤ 2,000 ms for 1,000 destinations.");
        result.Notes.Add($"Sustained: one job of {perDestination} entries × {sustainedAgents} destinations ({perDestination * sustainedAgents:N0} tasks) per round, POST to last result. One job with many tasks per destination rather than many jobs: a destination runs one task at a time in order, so this keeps all {sustainedAgents} agents busy for the whole round through the daemon's real ordering path, and the POST's cost is spread over the round as in a long job. Goal (issue 16): ≥ 5,000 tasks/s on this 2-core machine.");
        result.Notes.Add($"Ceiling: the same number of connections to the Kestrel echo, each making {CallsPerTask} sequential round trips per task ({perDestination} tasks each in the sustained case): the agents' own protocol cost with nothing stored or pushed.");

        await using var daemon = await ServerProcess.StartDaemonAsync(["--JobServer:Auth:PasswordIterations=1000"]);
        await using var echo = await ServerProcess.StartEchoAsync();
        await using var root = await DdpBenchClient.ConnectAsync(daemon.WebSocketUri);
        await root.LoginAsync();
        using var http = new HttpClient { BaseAddress = daemon.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await BatchAgentFleet.CreateKeyAsync(root, "bench-batch", agent: false));
        await EnsureBatchRoutesAsync(http);

        await using var fleet = await BatchAgentFleet.ConnectAsync(root, daemon.WebSocketUri, destinations);
        var echoClients = await CallPump.ConnectManyAsync(echo.WebSocketUri, destinations, login: false);
        try
        {
            var fanOut = await Rounds.MeasurePairAsync(settings, "ms",
                () => JobRoundAsync(http, fleet, destinations, 1, cpu: null, rate: false),
                () => EchoRoundAsync(echoClients, destinations, 1, rate: false));
            result.Rows.Add(new Row($"one job to {destinations:N0} destinations: POST → last task resolved (goal ≤ 2,000 ms for 1,000)",
                fanOut.A, $"{destinations:N0} echo connections × {CallsPerTask} round trips", fanOut.B));
            Console.WriteLine($"  fan-out to {destinations:N0}: {fanOut.A.ValueText} (goal ≤ 2,000 ms) vs echo {fanOut.B.ValueText}");

            var cpu = new CpuMeter(daemon.ProcessId);
            var tasks = perDestination * sustainedAgents;
            var sustained = await Rounds.MeasurePairAsync(settings, "tasks/s",
                () => JobRoundAsync(http, fleet, sustainedAgents, perDestination, cpu, rate: true),
                () => EchoRoundAsync(echoClients, sustainedAgents, perDestination, rate: true),
                afterWarmUp: cpu.Reset);
            result.Rows.Add(new Row($"sustained through {sustainedAgents} agents ({tasks:N0} tasks per job; goal ≥ 5,000 tasks/s)",
                sustained.A, $"{sustainedAgents} echo connections × {CallsPerTask} round trips per task", sustained.B,
                $"CPU per task: {cpu.Describe()}"));
            Console.WriteLine($"  sustained through {sustainedAgents} agents: {sustained.A.ValueText} (goal ≥ 5,000) vs echo {sustained.B.ValueText}; CPU per task {cpu.Describe()}");
        }
        finally
        {
            await CallPump.DisposeAllAsync(echoClients);
        }
    }

    /// <summary>
    /// One job of <paramref name="entries"/> entries to the first <paramref name="destinations"/> agents; the
    /// round's figure is POST → last acknowledged result in ms, or tasks/s when <paramref name="rate"/>. The job
    /// must then read <c>resolved</c> with every task counted.
    /// </summary>
    private static async Task<Rounds.Sample> JobRoundAsync(HttpClient http, BatchAgentFleet fleet, int destinations,
        int entries, CpuMeter? cpu, bool rate)
    {
        var tasks = destinations * entries;
        var body = JobBody(destinations, entries);
        var done = fleet.ExpectAsync(tasks);
        long started, last;
        long jobId;
        using (cpu?.Measure(tasks))
        {
            started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/batch/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /batch/jobs answered {(int)response.StatusCode}: {text}");
            }

            using (var created = JsonDocument.Parse(text))
            {
                jobId = created.RootElement.GetProperty("id").GetInt64();
            }

            var timeout = TimeSpan.FromSeconds(60 + tasks / 500);
            try
            {
                last = await done.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                fleet.ThrowIfFailed();
                throw new TimeoutException($"batch job {jobId}: not every one of {tasks:N0} tasks was answered within {timeout.TotalSeconds:N0} s");
            }
        }

        fleet.ThrowIfFailed();
        await EnsureResolvedAsync(http, jobId, tasks);
        var ms = Stats.Ms(started, last);
        return new Rounds.Sample(rate ? tasks / (ms / 1000) : ms);
    }

    /// <summary>Each of the first <paramref name="connections"/> echo connections makes 3 × <paramref name="tasks"/> sequential round trips.</summary>
    private static async Task<Rounds.Sample> EchoRoundAsync(List<DdpBenchClient> clients, int connections, int tasks, bool rate)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(clients.Take(connections).Select(async client =>
        {
            for (var i = 0; i < tasks * CallsPerTask; i++)
            {
                (await client.CallAsync("batch.agent.ack", $"[{i}]")).EnsureSuccess("echo");
            }
        }));
        var ms = Stats.Ms(started, Stopwatch.GetTimestamp());
        return new Rounds.Sample(rate ? connections * tasks / (ms / 1000) : ms);
    }

    private static string JobBody(int destinations, int entries)
    {
        var all = Enumerable.Range(0, destinations).Select(BatchAgentFleet.Destination).ToArray();
        var batch = Enumerable.Range(0, entries).Select(i => new
        {
            method = "post", resource = $"/system/bench/{i}", data = new { n = i }, __destination = all,
        });
        return JsonSerializer.Serialize(new { batch });
    }

    private static async Task EnsureResolvedAsync(HttpClient http, long jobId, int tasks)
    {
        var job = await http.GetFromJsonAsync<JsonElement>($"/batch/jobs/{jobId}");
        var status = job.GetProperty("status").GetString();
        var finished = job.GetProperty("finishCount").GetInt32();
        if (status != "resolved" || finished != tasks)
        {
            throw new InvalidOperationException($"batch job {jobId} reads {status} with {finished} of {tasks} finished after its last answer");
        }
    }

    private static async Task EnsureBatchRoutesAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/batch/jobs?limit=1");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new FeatureMissingException("the daemon has no /batch routes");
        }
    }
}
