using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace JobServer.Probes;

/// <summary>
/// Issue 12's sign-in storm: many clients sign in at once (half DDP <c>auth.login</c>, half JSON-RPC
/// <c>auth.login_ex</c>), each with the right password. The daemon may refuse some with its rate-limit error
/// (errno 16 EBUSY, <c>extra.retry_after</c>) while its hash queue is full; such a client waits as told and tries
/// again. The promise: every client ends signed in, no other error happens, and the daemon's memory is flat.
/// Meanwhile a connection signed in before the storm keeps calling <c>core.ping</c>, whose latency is reported
/// (the probe that found the hole saw 10-12 s).
/// </summary>
public static class SignInStorm
{
    private const int Ebusy = 16;

    public static async Task<ProbeReport> RunAsync(Uri baseUri, SignInStormOptions options)
    {
        var report = new ProbeReport("sign-in storm");
        var random = new Random(options.Seed);
        var webSocket = new Uri(baseUri, "/websocket");
        await using var pinger = await DdpClient.ConnectAsync(webSocket);
        var warmUp = new Counters();
        await SignInAsync(new DdpLogin(pinger, options), options, new Random(random.Next()), warmUp, report, 0);
        var residentBefore = options.DaemonResidentBytes?.Invoke();

        var logins = new List<Login>(options.Clients);
        for (var i = 0; i < options.Clients; i++)
        {
            logins.Add(i % 2 == 0
                ? new DdpLogin(await DdpClient.ConnectAsync(webSocket), options)
                : new JsonRpcLogin(await JsonRpcClient.ConnectAsync(new Uri(baseUri, "/api/current")), options));
        }

        var counters = new Counters();
        using var stormOver = new CancellationTokenSource();
        var pings = PingAsync(pinger, stormOver.Token);
        var started = Stopwatch.GetTimestamp();
        var seeds = logins.Select(_ => random.Next()).ToArray();
        await Task.WhenAll(logins.Select((login, i) =>
            SignInAsync(login, options, new Random(seeds[i]), counters, report, i + 1)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stormOver.CancelAsync();
        var latencies = await pings;

        foreach (var (login, i) in logins.Select((login, i) => (login, i + 1)))
        {
            if (!await login.IsSignedInAsync())
            {
                report.Violation($"client {i} answered as signed in but auth.me failed");
            }

            await login.DisposeAsync();
        }

        var residentAfter = options.DaemonResidentBytes?.Invoke();
        report.AddFigure("clients", options.Clients, "clients");
        report.AddFigure("time to all signed in", elapsed.TotalSeconds, "s");
        report.AddFigure("rate-limit refusals", counters.Refusals, "refusals");
        report.AddFigure("most attempts by one client", counters.MostAttempts, "attempts");
        if (latencies.Count > 0)
        {
            latencies.Sort();
            report.AddFigure("core.ping p50 during the storm", latencies[latencies.Count / 2], "ms");
            report.AddFigure("core.ping max during the storm", latencies[^1], "ms");
        }

        if (residentBefore is { } before && residentAfter is { } after)
        {
            report.AddFigure("daemon RSS before", before / 1048576.0, "MiB");
            report.AddFigure("daemon RSS after", after / 1048576.0, "MiB");
            if (after - before > options.MemoryBudgetBytes)
            {
                report.Violation(string.Create(CultureInfo.InvariantCulture,
                    $"the daemon's memory grew {(after - before) / 1048576.0:F1} MiB over the storm (budget {options.MemoryBudgetBytes / 1048576.0:F0} MiB)"));
            }
        }

        return report;
    }

    private static async Task SignInAsync(
        Login login, SignInStormOptions options, Random jitter, Counters counters, ProbeReport report, int client)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Deadline.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 1; ; attempt++)
        {
            var answer = await login.AttemptAsync();
            if (answer.SignedIn)
            {
                counters.Attempts(attempt);
                return;
            }

            if (answer.RetryAfterSeconds is not { } retryAfter)
            {
                report.Violation($"client {client}: sign-in answered {answer.Raw}");
                return;
            }

            counters.Refused();
            // As told, plus up to a quarter more: a crowd told the same second must not come back in one burst.
            var wait = TimeSpan.FromSeconds(retryAfter * (1 + (jitter.NextDouble() / 4)));
            if (Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency) > deadline)
            {
                report.Violation($"client {client}: not signed in within {options.Deadline} ({attempt} attempts)");
                return;
            }

            await Task.Delay(wait);
        }
    }

    private static async Task<List<double>> PingAsync(DdpClient pinger, CancellationToken stop)
    {
        var latencies = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            var id = await pinger.SendCallAsync("core.ping");
            await pinger.ReceiveAsync(m => m.Msg() == "result" && m.GetProperty("id").GetString() == id,
                TimeSpan.FromMinutes(2));
            latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return latencies;
    }

    /// <summary>errno 16 with <c>extra.retry_after</c> (whole seconds; 1 when absent): the daemon's rate limit.</summary>
    private static double? RetryAfter(JsonElement error)
    {
        if (!error.TryGetProperty("error", out var errno) || errno.ValueKind != JsonValueKind.Number ||
            errno.GetInt32() != Ebusy)
        {
            return null;
        }

        return error.TryGetProperty("extra", out var extra) && extra.ValueKind == JsonValueKind.Object &&
               extra.TryGetProperty("retry_after", out var seconds) && seconds.ValueKind == JsonValueKind.Number
            ? seconds.GetDouble()
            : 1;
    }

    private sealed class Counters
    {
        private int _refusals;
        private int _mostAttempts;

        public int Refusals => Volatile.Read(ref _refusals);

        public int MostAttempts => Volatile.Read(ref _mostAttempts);

        public void Refused() => Interlocked.Increment(ref _refusals);

        public void Attempts(int attempts)
        {
            int seen;
            while (attempts > (seen = Volatile.Read(ref _mostAttempts)) &&
                   Interlocked.CompareExchange(ref _mostAttempts, attempts, seen) != seen)
            {
            }
        }
    }

    private sealed record Answer(bool SignedIn, double? RetryAfterSeconds, string Raw);

    private abstract class Login : IAsyncDisposable
    {
        protected static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);

        public abstract Task<Answer> AttemptAsync();

        public abstract Task<bool> IsSignedInAsync();

        public abstract ValueTask DisposeAsync();
    }

    private sealed class DdpLogin(DdpClient client, SignInStormOptions options) : Login
    {
        public override async Task<Answer> AttemptAsync()
        {
            var message = await CallAsync("auth.login", options.Username, options.Password);
            return message.TryGetProperty("error", out var error)
                ? new Answer(false, RetryAfter(error), error.GetRawText())
                : new Answer(message.GetProperty("result").ValueKind == JsonValueKind.True, null, message.GetRawText());
        }

        public override async Task<bool> IsSignedInAsync() =>
            (await CallAsync("auth.me")).TryGetProperty("result", out var me) &&
            me.GetProperty("pw_name").GetString() == options.Username;

        public override ValueTask DisposeAsync() => client.DisposeAsync();

        private async Task<JsonElement> CallAsync(string method, params object?[] parameters)
        {
            var id = await client.SendCallAsync(method, parameters);
            return await client.ReceiveAsync(m => m.Msg() == "result" && m.GetProperty("id").GetString() == id,
                AnswerTimeout);
        }
    }

    private sealed class JsonRpcLogin(JsonRpcClient client, SignInStormOptions options) : Login
    {
        public override async Task<Answer> AttemptAsync()
        {
            var response = await CallAsync("auth.login_ex", new
            {
                mechanism = "PASSWORD_PLAIN",
                username = options.Username,
                password = options.Password,
                login_options = new { user_info = false },
            });
            if (response.TryGetProperty("error", out var error))
            {
                return new Answer(false, error.TryGetProperty("data", out var data) ? RetryAfter(data) : null,
                    error.GetRawText());
            }

            var type = response.GetProperty("result").GetProperty("response_type").GetString();
            return new Answer(type == "SUCCESS", null, response.GetRawText());
        }

        public override async Task<bool> IsSignedInAsync() =>
            (await CallAsync("auth.me")).TryGetProperty("result", out var me) &&
            me.GetProperty("pw_name").GetString() == options.Username;

        public override ValueTask DisposeAsync() => client.DisposeAsync();

        private async Task<JsonElement> CallAsync(string method, params object?[] parameters)
        {
            var id = await client.SendRequestAsync(method, parameters);
            return await client.ReceiveAsync(m => JsonRpcClient.IsResponse(m) &&
                m.GetProperty("id").ValueKind == JsonValueKind.Number && m.GetProperty("id").GetInt64() == id,
                AnswerTimeout);
        }
    }
}
