using System.Text.Json;

namespace JobServer.Probes;

/// <summary>A real WebSocket JSON-RPC 2.0 client for tests (<c>/api/current</c>); ids are integers.</summary>
public sealed class JsonRpcClient : WebSocketTestClient
{
    private long _nextId;

    private JsonRpcClient()
    {
    }

    public static async Task<JsonRpcClient> ConnectAsync(Uri uri)
    {
        var client = new JsonRpcClient();
        await client.OpenAsync(uri);
        return client;
    }

    /// <summary>Sends a request and returns its id.</summary>
    public async Task<long> SendRequestAsync(string method, params object?[] parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        await SendAsync(new { jsonrpc = "2.0", id, method, @params = parameters });
        return id;
    }

    /// <summary>Sends a notification: a request without an id, which the server never answers.</summary>
    public Task NotifyAsync(string method, params object?[] parameters) =>
        SendAsync(new { jsonrpc = "2.0", method, @params = parameters });

    /// <summary>Calls a method and returns the whole response.</summary>
    public async Task<JsonElement> CallAsync(string method, params object?[] parameters)
    {
        var id = await SendRequestAsync(method, parameters);
        return await ResponseAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Calls a method and returns its result, failing the test on an error.</summary>
    public async Task<JsonElement> CallResultAsync(string method, params object?[] parameters)
    {
        var response = await CallAsync(method, parameters);
        if (response.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} should succeed, got {error}");
        }

        return response.GetProperty("result");
    }

    /// <summary>Calls a method and returns its error (<c>code</c>, <c>message</c>, <c>data</c>), failing the test on a result.</summary>
    public async Task<JsonElement> CallErrorAsync(string method, params object?[] parameters)
    {
        var response = await CallAsync(method, parameters);
        if (!response.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} should fail, got {response}");
        }

        return error;
    }

    /// <summary>Waits for the response whose <c>id</c> is exactly this JSON text (such as <c>5</c>, <c>"x"</c>, <c>null</c>).</summary>
    public Task<JsonElement> ResponseAsync(string rawId) =>
        ReceiveAsync(m => IsResponse(m) && m.GetProperty("id").GetRawText() == rawId);

    /// <summary>Waits for a server notification (such as <c>collection_update</c>) whose params match.</summary>
    public Task<JsonElement> NotificationAsync(string method, Func<JsonElement, bool>? match = null) =>
        ReceiveAsync(m => m.TryGetProperty("method", out var name) && name.GetString() == method &&
                          (match is null || match(m.GetProperty("params"))));

    public static bool IsResponse(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out _) &&
        !message.TryGetProperty("method", out _);
}
