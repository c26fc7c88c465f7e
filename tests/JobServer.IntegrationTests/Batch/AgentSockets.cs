using System.Text.Json;
using JobServer.IntegrationTests.Support;

namespace JobServer.IntegrationTests.Batch;

/// <summary>Device-agent keys and plain DDP connections that act as agents, for the agent protocol tests.</summary>
public static class AgentSockets
{
    public const string TaskCollection = "batch.agent.task";

    /// <summary>An API key that holds only BATCH_AGENT, made by root.</summary>
    public static async Task<string> CreateAgentKeyAsync(Daemon daemon, string name)
    {
        await using var root = await daemon.ConnectAsRootAsync();
        var created = await root.CallResultAsync("api_key.create", new { name, roles = new[] { "BATCH_AGENT" } });
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>A DDP connection signed in with <paramref name="key"/> (the sign-in must succeed).</summary>
    public static async Task<DdpClient> SignInAsync(Daemon daemon, string key)
    {
        var socket = await daemon.ConnectAsync();
        (await socket.CallResultAsync("auth.login_with_api_key", key)).GetBoolean().Should().BeTrue();
        return socket;
    }

    /// <summary>Signed in with <paramref name="key"/> and registered as the agent of <paramref name="destination"/>.</summary>
    public static async Task<DdpClient> RegisterAsync(Daemon daemon, string key, string destination)
    {
        var socket = await SignInAsync(daemon, key);
        (await socket.CallResultAsync("batch.agent.register", destination)).GetBoolean().Should().BeTrue();
        return socket;
    }

    /// <summary>The next task pushed to this agent (its <c>fields</c>: the task object).</summary>
    public static async Task<JsonElement> NextTaskAsync(this DdpClient agent) =>
        (await agent.ReceiveAsync(m => m.Msg() == "added" && m.GetProperty("collection").GetString() == TaskCollection))
        .GetProperty("fields");

    /// <summary>The id of the next task withdrawn from this agent (a <c>removed</c> event: canceled or timed out).</summary>
    public static async Task<long> WithdrawnTaskAsync(this DdpClient agent) =>
        (await agent.ReceiveAsync(m => m.Msg() == "removed" && m.GetProperty("collection").GetString() == TaskCollection))
        .GetProperty("id").GetInt64();

    public static long Id(this JsonElement task) => task.GetProperty("id").GetInt64();
}
