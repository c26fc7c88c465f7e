using System.Text.Json;

namespace JobServer.Probes;

/// <summary>A real WebSocket DDP client for tests (<c>/websocket</c>).</summary>
public sealed class DdpClient : WebSocketTestClient
{
    private int _nextId;

    private DdpClient()
    {
    }

    public string? SessionId { get; private set; }

    public static async Task<DdpClient> ConnectAsync(Uri uri, bool handshake = true)
    {
        var client = new DdpClient();
        await client.OpenAsync(uri);
        if (handshake)
        {
            await client.SendAsync(new { msg = "connect", version = "1", support = new[] { "1" } });
            var connected = await client.ReceiveAsync(m => m.Msg() is "connected" or "failed");
            if (connected.Msg() != "connected")
            {
                throw new InvalidOperationException($"The DDP handshake failed: {connected}");
            }

            client.SessionId = connected.GetProperty("session").GetString();
        }

        return client;
    }

    /// <summary>Sends a method call and returns its id.</summary>
    public async Task<string> SendCallAsync(string method, params object?[] parameters)
    {
        var id = $"call-{Interlocked.Increment(ref _nextId)}";
        await SendAsync(new { id, msg = "method", method, @params = parameters });
        return id;
    }

    /// <summary>Calls a method and returns the whole <c>result</c> message.</summary>
    public async Task<JsonElement> CallAsync(string method, params object?[] parameters)
    {
        var id = await SendCallAsync(method, parameters);
        return await ResultOfAsync(id);
    }

    /// <summary>Calls a method and returns its result value, failing the test on an error.</summary>
    public async Task<JsonElement> CallResultAsync(string method, params object?[] parameters)
    {
        var message = await CallAsync(method, parameters);
        if (message.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} should succeed, got {error}");
        }

        return message.GetProperty("result");
    }

    /// <summary>Calls a method and returns its error object, failing the test on a result.</summary>
    public async Task<JsonElement> CallErrorAsync(string method, params object?[] parameters)
    {
        var message = await CallAsync(method, parameters);
        if (!message.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} should fail, got {message}");
        }

        return error;
    }

    public Task<JsonElement> ResultOfAsync(string id) =>
        ReceiveAsync(m => m.Msg() == "result" && m.TryGetProperty("id", out var i) && i.GetString() == id);
}

public static class JsonElementExtensions
{
    public static string? Msg(this JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("msg", out var msg) ? msg.GetString() : null;
}
