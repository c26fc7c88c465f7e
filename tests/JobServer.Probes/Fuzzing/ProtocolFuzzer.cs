using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace JobServer.Probes.Fuzzing;

/// <summary>
/// Issue 12's protocol fuzzer: seeded inputs over both dialects (see <see cref="FuzzInputs"/>), before and after
/// sign-in. The promises: every answer in the protocol's own shape and every close code documented
/// (<see cref="AnswerShapes"/>); no hang (each connection finishes its close handshake in time, and after each
/// batch a fresh connection answers core.ping within the deadline); no crash; no error entry in the daemon's log.
/// </summary>
public static class ProtocolFuzzer
{
    public static async Task<ProbeReport> RunAsync(Uri baseUri, ProtocolFuzzerOptions options)
    {
        var report = new ProbeReport("protocol fuzzer");
        var random = new Random(options.Seed);
        var token = await SignInTokenAsync(baseUri, options.Password);
        var counters = new FuzzCounters();
        var errorsBefore = options.DaemonLog?.ErrorEntries ?? 0;
        var started = Stopwatch.GetTimestamp();
        var connection = 0;
        while (counters.Inputs < options.Inputs)
        {
            var batch = Enumerable.Range(0, options.ConnectionsPerBatch)
                .Select(_ => new FuzzPlan(connection++, random.Next(), random.Next(2) == 0, random.Next(4)))
                .ToList();
            await Task.WhenAll(batch.Select(plan => FuzzConnectionAsync(baseUri, plan, token, options, counters, report)));
            await CheckAliveAsync(baseUri, connection, options, report);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        report.AddFigure("inputs", counters.Inputs, "inputs");
        report.AddFigure("inputs per second", counters.Inputs / elapsed.TotalSeconds, "inputs/s");
        report.AddFigure("connections", connection, "connections");
        report.AddFigure("answers checked", counters.Answers, "messages");
        report.AddFigure("connections closed by the server", counters.ServerCloses, "connections");
        report.AddFigure("connections dropped after invalid UTF-8 (WebSocket layer; known gap)",
            counters.InvalidUtf8Drops, "connections");
        report.AddFigure("seed", options.Seed, "");
        if (options.DaemonLog is { } log && log.ErrorEntries > errorsBefore)
        {
            report.Violation($"the daemon logged {log.ErrorEntries - errorsBefore} error entries: " +
                             string.Join(" | ", log.Lines.Where(IsErrorLine).Take(3)));
        }

        report.AddFigure("violations", report.Violations.Count, "violations");
        return report;
    }

    /// <summary>One connection of a batch: its dialect, its seed, and whether it signs in (or, on DDP, skips the handshake).</summary>
    private sealed record FuzzPlan(int Number, int Seed, bool Ddp, int Mode)
    {
        public bool SignsIn => Mode == 0;

        public bool SkipsHandshake => Ddp && Mode == 1;
    }

    private static async Task FuzzConnectionAsync(Uri baseUri, FuzzPlan plan, string token, ProtocolFuzzerOptions options,
        FuzzCounters counters, ProbeReport report)
    {
        var where = $"connection {plan.Number} ({(plan.Ddp ? "DDP" : "JSON-RPC")}, seed {plan.Seed})";
        await using var socket = await FuzzSocket.OpenAsync(WebSocketUri(baseUri, plan.Ddp), options.UnixSocketPath);
        if (!await PrepareAsync(socket, plan, token))
        {
            report.Violation($"{where}: the handshake or sign-in failed");
            return;
        }

        var inputs = new FuzzInputs(new Random(plan.Seed), plan.Ddp);
        FuzzFrame? last = null;
        var sentInvalidUtf8 = false;
        for (var i = 0; i < options.InputsPerConnection && counters.Inputs < options.Inputs; i++)
        {
            last = inputs.Next(plan.SignsIn);
            // Counted when tried: the server may drop the socket after the first fragment of such a frame.
            sentInvalidUtf8 |= last.IsInvalidUtf8;
            if (!await socket.SendAsync(last))
            {
                break;
            }

            counters.CountInput();
        }

        if (!await socket.CloseAsync(options.CloseDeadline))
        {
            report.Violation($"{where}: no close handshake within {options.CloseDeadline.TotalSeconds} s (a hang)");
        }

        await foreach (var message in socket.Messages.ReadAllAsync())
        {
            counters.CountAnswer();
            if (AnswerShapes.Check(message, plan.Ddp) is { } wrong)
            {
                report.Violation($"{where}: {wrong}: {Shorten(message)}");
            }
        }

        CheckEnd(socket, last is null ? where : $"{where}, last input {Describe(last)}", sentInvalidUtf8, counters, report);
    }

    private static void CheckEnd(FuzzSocket socket, string where, bool sentInvalidUtf8, FuzzCounters counters,
        ProbeReport report)
    {
        if (socket.Dropped && sentInvalidUtf8)
        {
            // Known gap (issue 12 item 18, left open): ASP.NET's WebSocket refuses a text frame that is not UTF-8
            // inside its own receive (close 1007, then it tears the socket down), before the daemon can finish
            // the close handshake, so a client with more in flight may see 1006. Counted, not hidden.
            counters.CountInvalidUtf8Drop();
        }
        else if (socket.Dropped)
        {
            report.Violation($"{where}: dropped without a close frame");
        }
        else if (socket.CloseStatus is { } status)
        {
            if (!string.IsNullOrEmpty(socket.CloseDescription))
            {
                counters.CountServerClose(); // our own close is answered with a bare 1000
            }

            if (AnswerShapes.CheckClose(status, socket.CloseDescription) is { } wrong)
            {
                report.Violation($"{where}: {wrong}");
            }
        }
    }

    /// <summary>DDP connects (unless the plan fuzzes before the handshake); a signing-in plan uses the token.</summary>
    private static async Task<bool> PrepareAsync(FuzzSocket socket, FuzzPlan plan, string token)
    {
        if (plan.Ddp && !plan.SkipsHandshake &&
            !await ExchangeAsync(socket, """{"msg":"connect","version":"1","support":["1"]}""", m => Is(m, "msg", "connected")))
        {
            return false;
        }

        if (!plan.SignsIn)
        {
            return true;
        }

        var login = plan.Ddp
            ? $$"""{"msg":"method","id":"login","method":"auth.login_with_token","params":["{{token}}"]}"""
            : $$"""{"jsonrpc":"2.0","id":"login","method":"auth.login_with_token","params":["{{token}}"]}""";
        // Refused (the anonymous rate limit, 20 sign-ins a minute per address): the plan goes on anonymous.
        return await ExchangeAsync(socket, login, m => m.TryGetProperty("result", out _) || m.TryGetProperty("error", out _));
    }

    private static async Task<bool> ExchangeAsync(FuzzSocket socket, string message, Func<JsonElement, bool> expected)
    {
        await socket.SendAsync(new FuzzFrame(Encoding.UTF8.GetBytes(message)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                using var answer = JsonDocument.Parse(await socket.Messages.ReadAsync(timeout.Token));
                if (answer.RootElement.TryGetProperty("msg", out var msg) && msg.ValueEquals("updated"))
                {
                    continue;
                }

                return expected(answer.RootElement);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>A fresh connection of the other dialect must answer core.ping (a result or an error) in time.</summary>
    private static async Task CheckAliveAsync(Uri baseUri, int connection, ProtocolFuzzerOptions options, ProbeReport report)
    {
        var ddp = connection % 2 == 0;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var socket = await FuzzSocket.OpenAsync(WebSocketUri(baseUri, ddp), options.UnixSocketPath).WaitAsync(options.PingDeadline);
            var answered = ddp
                ? await ExchangeAsync(socket, """{"msg":"connect","version":"1","support":["1"]}""", m => Is(m, "msg", "connected")) &&
                  await ExchangeAsync(socket, """{"msg":"method","id":"alive","method":"core.ping","params":[]}""", m => Is(m, "id", "alive"))
                : await ExchangeAsync(socket, """{"jsonrpc":"2.0","id":"alive","method":"core.ping"}""", m => Is(m, "id", "alive"));
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (!answered || elapsed > options.PingDeadline)
            {
                report.Violation($"after connection {connection}: core.ping took {elapsed.TotalMilliseconds:F0} ms (answered: {answered})");
            }

            await socket.CloseAsync(options.CloseDeadline);
        }
        catch (Exception e) when (e is TimeoutException or System.Net.WebSockets.WebSocketException)
        {
            report.Violation($"after connection {connection}: no fresh connection ({e.GetType().Name}: {e.Message})");
        }
    }

    private static Uri WebSocketUri(Uri baseUri, bool ddp) =>
        new UriBuilder(new Uri(baseUri, ddp ? "/websocket" : "/api/current")) { Scheme = "ws" }.Uri;

    private static bool Is(JsonElement message, string name, string value) =>
        message.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.ValueEquals(value);

    private static bool IsErrorLine(string line) =>
        line.Contains(" ERR] ", StringComparison.Ordinal) || line.Contains(" FTL] ", StringComparison.Ordinal);

    private static string Describe(FuzzFrame frame) =>
        $"{frame.Type} in {frame.Fragments} fragment(s), {frame.Bytes.Length} bytes: {Shorten(frame.Bytes)}";

    private static string Shorten(byte[] message) =>
        Encoding.UTF8.GetString(message.AsSpan(0, Math.Min(message.Length, 120)));

    /// <summary>Signs root in once and makes a reusable token, so fuzzed connections sign in without PBKDF2.</summary>
    internal static async Task<string> SignInTokenAsync(Uri baseUri, string password)
    {
        await using var root = await DdpClient.ConnectAsync(new Uri(baseUri, "/websocket"));
        if (!(await root.CallResultAsync("auth.login", "root", password)).GetBoolean())
        {
            throw new InvalidOperationException("root could not sign in");
        }

        return (await root.CallResultAsync("auth.generate_token", 3600, new { }, true, false)).GetString()!;
    }
}
