using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 12. Sync WordCount (<c>POST /jobs?sync=true</c>) on a warm named context beside a bare Kestrel POST echo in the
/// same run (issue 15). Every job is the ordinary durable <c>spark.run</c> job; every answer must be 200 with the
/// right counts, or the scenario fails. Goal: at least 1,000 jobs/s and 0.25× the echo.
/// </summary>
internal sealed class SparkSyncScenario : IScenario
{
    private const string Config = "input.string = a b c a b see";
    private const string BinaryName = "bench-wordcount";
    private const string ContextName = "bench";
    private const double GoalJobsPerSecond = 1_000;
    private const double GoalRatio = 0.25;

    private static readonly Dictionary<string, int> ExpectedCounts = new(StringComparer.Ordinal)
    {
        ["a"] = 2, ["b"] = 2, ["c"] = 1, ["see"] = 1,
    };

    /// <summary>
    /// Slots per core, one per connection. The context also queues when full: a sync answer can reach the client
    /// a moment before its job's slot is released, and the connection's next job must wait for it, not get a 503.
    /// </summary>
    private static int MaxJobs => Environment.ProcessorCount * 8;

    public string Number => "12";

    public string Name => "spark";

    public string Title => "Spark sync WordCount on a warm named context beside a bare Kestrel POST echo";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var jobs = settings.Quick ? 300 : 20_000;
        var workers = MaxJobs;
        result.Notes.Add($"`POST /jobs?appName={BinaryName}&classPath=spark.jobserver.WordCountExample&context={ContextName}&sync=true` with `{Config}` over {workers} HTTP/1.1 keep-alive connections, each posting its next job when the last answered, signed in with an API key (Bearer); the context was created with `max-jobs={workers}` ({Environment.ProcessorCount} cores × 8, one per connection) and `queue-when-full=true`, and warmed by the warm-up rounds. Every answer must be 200 with `{{\"a\":2,\"b\":2,\"c\":1,\"see\":1}}`.");
        result.Notes.Add("The peer is bare Kestrel in its own process (the echo server) answering the same POST with its body as JSON. Each job is still the ordinary durable `spark.run` job (stored, with its result). Goal (issue 15): at least 1,000 jobs/s and 0.25× the echo.");

        var wordCount = BenchPaths.WordCountDll;
        if (!File.Exists(wordCount))
        {
            throw new FileNotFoundException($"The WordCount example is not built: {wordCount}");
        }

        await using var daemon = await ServerProcess.StartDaemonAsync();
        await using var echo = await ServerProcess.StartEchoAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers });
        var authorization = new AuthenticationHeaderValue("Bearer", await DaemonApiKey.CreateAsync(http, daemon.BaseUri, "bench-spark"));
        var contextPid = await PrepareAsync(http, daemon.BaseUri, authorization, wordCount, workers);

        var cpu = new CpuMeter(daemon.ProcessId);
        cpu.AlsoMeasure("context process", contextPid);
        var ours = new Uri(daemon.BaseUri,
            $"/jobs?appName={BinaryName}&classPath=spark.jobserver.WordCountExample&context={ContextName}&sync=true");
        var theirs = new Uri(echo.BaseUri, "/echo");
        var (daemonRate, echoRate) = await Rounds.MeasurePairAsync(settings, "jobs/s",
            () => RoundAsync(http, ours, authorization, jobs, workers, IsWordCountAnswer, cpu),
            () => RoundAsync(http, theirs, null, jobs, workers, IsEchoAnswer, null),
            afterWarmUp: cpu.Reset);

        var ratio = daemonRate.Value / echoRate.Value;
        var goal = $"goal ≥ {GoalJobsPerSecond:N0} jobs/s and ≥ {GoalRatio:N2}× ({(daemonRate.Value >= GoalJobsPerSecond && ratio >= GoalRatio ? "met" : "not met")})";
        result.Rows.Add(new Row($"sync WordCount, {workers} connections ({jobs:N0} jobs)", daemonRate, "bare Kestrel POST echo", echoRate,
            $"CPU per job: {cpu.Describe()}; {goal}"));
        Console.WriteLine($"  sync WordCount: {daemonRate.ValueText} vs echo {echoRate.ValueText} ({ratio:N2}×); daemon CPU per job {cpu.Describe()}; {goal}");
    }

    /// <summary>Uploads the WordCount assembly and creates the named context; answers the context's process id.</summary>
    private static async Task<int> PrepareAsync(HttpClient http, Uri daemon, AuthenticationHeaderValue authorization, string wordCount, int maxJobs)
    {
        using var binary = new ByteArrayContent(await File.ReadAllBytesAsync(wordCount));
        binary.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await SendAsync(http, HttpMethod.Post, new Uri(daemon, $"/binaries/{BinaryName}"), authorization, binary, HttpStatusCode.Created);
        await SendAsync(http, HttpMethod.Post, new Uri(daemon, $"/contexts/{ContextName}?max-jobs={maxJobs}&queue-when-full=true"), authorization, null, HttpStatusCode.OK);
        using var shown = JsonDocument.Parse(await SendAsync(http, HttpMethod.Get, new Uri(daemon, $"/contexts/{ContextName}"), authorization, null, HttpStatusCode.OK));
        return shown.RootElement.GetProperty("pid").GetInt32();
    }

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, Uri uri, AuthenticationHeaderValue authorization,
        HttpContent? content, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {uri.PathAndQuery} answered {(int)response.StatusCode} {body}");
        }

        return body;
    }

    private static async Task<Rounds.Sample> RoundAsync(HttpClient http, Uri uri, AuthenticationHeaderValue? authorization,
        int jobs, int workers, Func<byte[], bool> isRightAnswer, CpuMeter? cpu)
    {
        var remaining = jobs;
        var started = Stopwatch.GetTimestamp();
        using (cpu?.Measure(jobs))
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri)
                    {
                        Content = new StringContent(Config, Encoding.UTF8, "text/plain"),
                    };
                    request.Headers.Authorization = authorization;
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK || !isRightAnswer(body))
                    {
                        throw new InvalidOperationException(
                            $"POST {uri.PathAndQuery} answered {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
                    }
                }
            }));
        }

        return new Rounds.Sample(jobs / Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary><c>{"jobId":"…","result":{"a":2,"b":2,"c":1,"see":1}}</c>, the counts in any order.</summary>
    private static bool IsWordCountAnswer(byte[] body)
    {
        using var answer = JsonDocument.Parse(body);
        var root = answer.RootElement;
        if (!root.TryGetProperty("jobId", out var jobId) || jobId.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("result", out var counts) || counts.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var seen = 0;
        foreach (var word in counts.EnumerateObject())
        {
            if (!ExpectedCounts.TryGetValue(word.Name, out var expected) || word.Value.ValueKind != JsonValueKind.Number
                || word.Value.GetInt32() != expected)
            {
                return false;
            }

            seen++;
        }

        return seen == ExpectedCounts.Count;
    }

    private static bool IsEchoAnswer(byte[] body)
    {
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.TryGetProperty("result", out var echoed) && echoed.GetString() == Config;
    }
}
