using System.Diagnostics;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Drives calls with a fixed number in flight: <c>window</c> loops per client, each sending its next call when
/// the previous one is answered, until <c>count</c> calls are done across all clients.
/// </summary>
internal static class CallPump
{
    public sealed record Outcome(double Seconds, List<double> LatenciesMs, List<CallReply> Replies)
    {
        public double PerSecond(int count) => count / Seconds;
    }

    public static async Task<Outcome> RunAsync(
        IReadOnlyList<DdpBenchClient> clients, int count, int window, Func<int, (string Method, string Params)> call,
        bool keepReplies = false)
    {
        var next = -1;
        var loops = new List<Task<(List<double>, List<CallReply>)>>();
        var started = Stopwatch.GetTimestamp();
        foreach (var client in clients)
        {
            for (var i = 0; i < window; i++)
            {
                loops.Add(LoopAsync(client));
            }
        }

        var results = await Task.WhenAll(loops);
        var seconds = Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000;
        return new Outcome(seconds, results.SelectMany(r => r.Item1).ToList(), results.SelectMany(r => r.Item2).ToList());

        async Task<(List<double>, List<CallReply>)> LoopAsync(DdpBenchClient client)
        {
            var latencies = new List<double>();
            var replies = new List<CallReply>();
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var (method, parameters) = call(index);
                var sent = Stopwatch.GetTimestamp();
                var reply = await client.CallAsync(method, parameters);
                latencies.Add(Stats.Ms(sent, Stopwatch.GetTimestamp()));
                reply.EnsureSuccess(method);
                if (keepReplies)
                {
                    replies.Add(reply);
                }
            }

            return (latencies, replies);
        }
    }

    public static async Task<List<DdpBenchClient>> ConnectManyAsync(Uri uri, int count, bool login)
    {
        var clients = new List<DdpBenchClient>(count);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(64))
        {
            clients.AddRange(await Task.WhenAll(chunk.Select(async _ =>
            {
                var client = await DdpBenchClient.ConnectAsync(uri);
                if (login)
                {
                    await client.LoginAsync();
                }

                return client;
            })));
        }

        return clients;
    }

    public static async Task DisposeAllAsync(IEnumerable<DdpBenchClient> clients) =>
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
}
