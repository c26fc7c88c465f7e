using System.Text.Json;

namespace JobServer.IntegrationTests.Support;

/// <summary>A connection subscribed to <c>core.get_jobs</c>, for waiting on a job's events.</summary>
public sealed class JobEvents : IAsyncDisposable
{
    private JobEvents(DdpClient client) => Client = client;

    public DdpClient Client { get; }

    public static async Task<JobEvents> SubscribeAsync(DdpClient client)
    {
        await client.SendAsync(new { msg = "sub", id = "jobs", name = "core.get_jobs" });
        await client.ReceiveAsync(m => m.Msg() == "ready");
        return new JobEvents(client);
    }

    /// <summary>The next event about the job (in order), optionally of one kind.</summary>
    public Task<JsonElement> NextAsync(long jobId, string? kind = null, TimeSpan? timeout = null) =>
        Client.ReceiveAsync(m => m.Msg() is "added" or "changed" && (kind is null || m.Msg() == kind) &&
                                 m.GetProperty("collection").GetString() == "core.get_jobs" &&
                                 m.GetProperty("id").GetInt64() == jobId, timeout);

    /// <summary>Waits until the job reaches a state; returns that event's job.</summary>
    public async Task<JsonElement> StateAsync(long jobId, string state, TimeSpan? timeout = null)
    {
        var message = await Client.ReceiveAsync(m => m.Msg() is "added" or "changed" &&
            m.GetProperty("collection").GetString() == "core.get_jobs" && m.GetProperty("id").GetInt64() == jobId &&
            m.GetProperty("fields").GetProperty("state").GetString() == state, timeout);
        return message.GetProperty("fields");
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
