using JobServer.Bench.Infrastructure;
using JobServer.Bench.Reporting;

namespace JobServer.Bench.Scenarios;

/// <summary>
/// 1. <c>core.ping</c> round trips over DDP, against a bare Kestrel WebSocket server that answers each message
/// with one small JSON (the ceiling). Sequential, 64 in flight on one socket, and 16 sockets × 16 in flight.
/// </summary>
internal sealed class RpcRoundTripScenario : IScenario
{
    private const int Window = 64;
    private const int Connections = 16;
    private const int WindowPerConnection = 16;

    public string Number => "1";

    public string Name => "rpc";

    public string Title => "RPC round trips (core.ping over DDP)";

    public async Task RunAsync(BenchSettings settings, ScenarioResult result)
    {
        result.Notes.Add("The daemon runs with `--JobServer:WebSocket:MaxConcurrentCalls=128` (default 20) so 64 calls can be in flight on one socket, and (all bench daemons) `--JobServer:Auth:AnonymousRateLimit=0`, `Serilog:MinimumLevel:Default=Warning`. Its connections are signed in as root, the path real clients take.");
        result.Notes.Add("The echo ceiling is bare Kestrel in its own process answering every text message with one `{\"msg\":\"result\",\"id\":…,\"result\":\"pong\"}`; the daemon also sends Meteor's `updated` after each result, so it writes two frames per call.");
        result.Notes.Add($"Latency is per call, send to result, pooled over all rounds; throughput is the median of {settings.Rounds} rounds after the warm-up; daemon and echo rounds alternate.");

        await using var daemon = await ServerProcess.StartDaemonAsync(["--JobServer:WebSocket:MaxConcurrentCalls=128"]);
        await using var echo = await ServerProcess.StartEchoAsync();

        (string, string) Ping(int _) => ("core.ping", "[]");

        Func<Task<Rounds.Sample>> Round(List<DdpBenchClient> clients, int window, int calls) => async () =>
        {
            var outcome = await CallPump.RunAsync(clients, calls, window, Ping);
            return new Rounds.Sample(outcome.PerSecond(calls), outcome.LatenciesMs);
        };

        var modes = new (string Label, int Connections, int Window, int Calls)[]
        {
            ("1 connection, sequential", 1, 1, settings.SequentialCalls),
            ($"1 connection, {Window} in flight", 1, Window, settings.PipelinedCalls),
            ($"{Connections} connections × {WindowPerConnection} in flight", Connections, WindowPerConnection, settings.MultiConnectionCalls),
        };
        foreach (var (label, connections, window, calls) in modes)
        {
            var ourClients = await CallPump.ConnectManyAsync(daemon.WebSocketUri, connections, login: true);
            var echoClients = await CallPump.ConnectManyAsync(echo.WebSocketUri, connections, login: false);
            Figure ours, ceiling;
            try
            {
                (ours, ceiling) = await Rounds.MeasurePairAsync(settings, "calls/s",
                    Round(ourClients, window, calls), Round(echoClients, window, calls));
            }
            finally
            {
                await CallPump.DisposeAllAsync([.. ourClients, .. echoClients]);
            }

            result.Rows.Add(new Row($"{label} ({calls:N0} calls)", ours, "Kestrel echo", ceiling));
            Console.WriteLine($"  {label}: {ours.ValueText} vs echo {ceiling.ValueText}");
        }
    }
}
