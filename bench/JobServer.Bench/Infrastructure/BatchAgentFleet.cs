using System.Diagnostics;
using System.Text.Json;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Many device agents in the harness process, each its own WebSocket signed in with its own <c>BATCH_AGENT</c>
/// key, speaking the real agent protocol (<c>batch.agent.register</c>, then for every pushed task <c>ack</c>,
/// <c>progress</c> 50 and <c>result</c> <c>{status: 200, body}</c>, one after another as <c>jobctl agent</c>
/// does). Each task is answered at once, as a device with nothing to do would: what is measured is the daemon.
/// </summary>
internal sealed class BatchAgentFleet : IAsyncDisposable
{
    public const string TaskCollection = "batch.agent.task";

    private readonly List<DdpBenchClient> _agents;
    private Round? _round;
    private long _failures;
    private string? _firstFailure;

    private BatchAgentFleet(List<DdpBenchClient> agents) => _agents = agents;

    public int Count => _agents.Count;

    /// <summary>Destination ids of the agents: <c>bench-dev-0000</c>, …</summary>
    public static string Destination(int index) => $"bench-dev-{index:D4}";

    /// <summary>Makes <paramref name="count"/> agent keys through <paramref name="root"/>, connects and registers each.</summary>
    public static async Task<BatchAgentFleet> ConnectAsync(DdpBenchClient root, Uri webSocketUri, int count)
    {
        var keys = new List<string>(count);
        // 16 at a time: one connection may have at most 20 calls in flight (JobServer:WebSocket:MaxConcurrentCalls).
        foreach (var chunk in Enumerable.Range(0, count).Chunk(16))
        {
            keys.AddRange(await Task.WhenAll(chunk.Select(i => CreateKeyAsync(root, $"bench-agent-{i}", agent: true))));
        }

        var fleet = new BatchAgentFleet(new List<DdpBenchClient>(count));
        try
        {
            foreach (var chunk in Enumerable.Range(0, count).Chunk(64))
            {
                fleet._agents.AddRange(await Task.WhenAll(chunk.Select(i => fleet.RegisterAsync(webSocketUri, keys[i], Destination(i)))));
            }
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    /// <summary>An API key of root's (<paramref name="agent"/>: one that holds only <c>BATCH_AGENT</c>).</summary>
    public static async Task<string> CreateKeyAsync(DdpBenchClient root, string name, bool agent)
    {
        var parameters = agent
            ? $"[{{\"name\":\"{name}\",\"roles\":[\"BATCH_AGENT\"]}}]"
            : $"[{{\"name\":\"{name}\"}}]";
        var reply = (await root.CallAsync("api_key.create", parameters)).EnsureSuccess("api_key.create");
        using var created = JsonDocument.Parse(reply.Raw ?? throw new InvalidOperationException("api_key.create answered no object"));
        return created.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// Expects <paramref name="tasks"/> answers from now on; the task completes with the Stopwatch timestamp of the
    /// last <c>result</c> the daemon acknowledged (a durable, resolved task).
    /// </summary>
    public Task<long> ExpectAsync(int tasks)
    {
        var round = new Round(tasks);
        Volatile.Write(ref _round, round);
        return round.Done.Task;
    }

    /// <summary>Throws when an agent call failed since the last check (a bench run must not hide errors).</summary>
    public void ThrowIfFailed()
    {
        if (Interlocked.Exchange(ref _failures, 0) is var failures and > 0)
        {
            throw new InvalidOperationException($"{failures} agent call(s) failed, first: {_firstFailure}");
        }
    }

    private async Task<DdpBenchClient> RegisterAsync(Uri webSocketUri, string key, string destination)
    {
        var agent = await DdpBenchClient.ConnectAsync(webSocketUri);
        try
        {
            var signedIn = (await agent.CallAsync("auth.login_with_api_key", JsonSerializer.Serialize(new[] { key })))
                .EnsureSuccess("auth.login_with_api_key");
            if (signedIn.Bool != true)
            {
                throw new InvalidOperationException("auth.login_with_api_key answered false");
            }

            agent.OnEvent = e =>
            {
                if (e.Msg == "added" && e.Collection == TaskCollection)
                {
                    _ = PerformAsync(agent, e.Id);
                }
            };
            (await agent.CallAsync("batch.agent.register", $"[\"{destination}\"]")).EnsureSuccess("batch.agent.register");
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>What <c>jobctl agent</c> does with a task, minus the device: ack, progress, result.</summary>
    private async Task PerformAsync(DdpBenchClient agent, long taskId)
    {
        try
        {
            var acknowledged = (await agent.CallAsync("batch.agent.ack", $"[{taskId}]")).EnsureSuccess("batch.agent.ack");
            if (acknowledged.Bool != true)
            {
                return; // Finished meanwhile (canceled): a real agent skips it too.
            }

            (await agent.CallAsync("batch.agent.progress", $"[{taskId},50]")).EnsureSuccess("batch.agent.progress");
            var answered = (await agent.CallAsync("batch.agent.result", $"[{taskId},{{\"status\":200,\"body\":{{\"ok\":true}}}}]"))
                .EnsureSuccess("batch.agent.result");
            if (answered.Bool == true)
            {
                Volatile.Read(ref _round)?.Answered(Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e)
        {
            if (Interlocked.Increment(ref _failures) == 1)
            {
                _firstFailure = $"task {taskId}: {e.Message}";
            }
        }
    }

    public async ValueTask DisposeAsync() => await CallPump.DisposeAllAsync(_agents);

    private sealed class Round(int expected)
    {
        private int _answered;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answered(long at)
        {
            if (Interlocked.Increment(ref _answered) == expected)
            {
                Done.TrySetResult(at);
            }
        }
    }
}
