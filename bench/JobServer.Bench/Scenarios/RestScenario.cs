using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using JobServer.Bench.Infrastructure;
using JobServer.Bench.Peers;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 9. <c>GET /api/v2.0/core/ping</c> over the REST mirror (issue 17) beside a bare Kestrel JSON endpoint in the
/// same run: signed in with an API key (a script's path: one SHA-256 per request) and anonymous. Goal: at least
/// 70 % of the bare endpoint's rate.
/// </summary>
internal sealed class RestScenario : IScenario
{
    private const int Workers = 16;

    public string Number => "9";

    public string Name => "rest";

    public string Title => "REST mirror (GET /api/v2.0/core/ping) beside bare Kestrel";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        var calls = settings.Quick ? 2_000 : 50_000;
        result.Notes.Add($"{Workers} HTTP/1.1 keep-alive connections from one HttpClient, each sending its next GET when the last answered; the rate is the median of {settings.Rounds} rounds after the warm-up, daemon and peer rounds alternating.");
        result.Notes.Add("The peer is bare Kestrel (slim builder, no logging) inside the harness process answering `\"pong\"`; the daemon runs as it ships with the bench's usual overrides (`AnonymousRateLimit=0`, logging at Warning). Goal (issue 17): at least 0.70×.");

        await using var daemon = await ServerProcess.StartDaemonAsync();
        await using var peer = await BareJsonEndpoint.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Workers });
        var key = await DaemonApiKey.CreateAsync(http, daemon.BaseUri, "bench-rest");

        var modes = new (string Label, AuthenticationHeaderValue? Authorization)[]
        {
            ("API key (Bearer)", new AuthenticationHeaderValue("Bearer", key)),
            ("anonymous (core.ping is no-auth)", null),
        };
        foreach (var (label, authorization) in modes)
        {
            var cpu = new CpuMeter(daemon.ProcessId);
            var ours = new Uri(daemon.BaseUri, "/api/v2.0/core/ping");
            var theirs = new Uri(peer.BaseUri, "/api/v2.0/core/ping");
            var (daemonRate, peerRate) = await Rounds.MeasurePairAsync(settings, "calls/s",
                () => RoundAsync(http, ours, authorization, calls, cpu),
                () => RoundAsync(http, theirs, authorization, calls, null),
                afterWarmUp: cpu.Reset);
            result.Rows.Add(new Row($"{label} ({calls:N0} calls)", daemonRate, "bare Kestrel", peerRate,
                $"CPU per call: {cpu.Describe()}"));
            Console.WriteLine($"  {label}: {daemonRate.ValueText} vs bare {peerRate.ValueText}; daemon CPU per call {cpu.Describe()}");
        }
    }

    private static async Task<Rounds.Sample> RoundAsync(HttpClient http, Uri uri, AuthenticationHeaderValue? authorization,
        int calls, CpuMeter? cpu)
    {
        var remaining = calls;
        var started = Stopwatch.GetTimestamp();
        using (cpu?.Measure(calls))
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Authorization = authorization;
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode || !body.AsSpan().SequenceEqual("\"pong\""u8))
                    {
                        throw new InvalidOperationException(
                            $"GET {uri} answered {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
                    }
                }
            }));
        }

        return new Rounds.Sample(calls / Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
