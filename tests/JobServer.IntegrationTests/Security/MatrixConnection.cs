using System.Text.Json;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// One identity's connection over one dialect, kept signed in: a call the matrix makes may end the sign-in
/// (<c>auth.logout</c>) or the connection, and the next call must still be made as that identity.
/// </summary>
internal sealed class MatrixConnection(Uri baseUri, Identity identity, bool jsonRpc) : IAsyncDisposable
{
    private WebSocketTestClient? _client;

    /// <summary>Calls the method with no arguments; returns the answer (a DDP result or a JSON-RPC response).</summary>
    public async Task<JsonElement> CallAsync(string method)
    {
        var client = await EnsureAsync();
        return client switch
        {
            DdpClient ddp => await ddp.CallAsync(method),
            JsonRpcClient rpc => await rpc.CallAsync(method),
            _ => throw new InvalidOperationException("Unknown client"),
        };
    }

    /// <summary>What the answer means for authorization, in the dialect's own terms.</summary>
    public Verdict Classify(JsonElement answer)
    {
        if (!answer.TryGetProperty("error", out var error))
        {
            return Verdict.Admitted;
        }

        if (jsonRpc && error.GetProperty("code").GetInt32() == -32601)
        {
            return Verdict.NotFound;
        }

        var errno = jsonRpc
            ? error.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? data.GetProperty("error").GetInt32()
                : 0
            : error.GetProperty("error").GetInt32();
        return errno switch
        {
            207 => Verdict.NotAuthenticated,
            13 => Verdict.NotAuthorized,
            201 => Verdict.NotFound,
            _ => Verdict.Admitted,
        };
    }

    private async Task<WebSocketTestClient> EnsureAsync()
    {
        if (_client is not null && await StillSignedInAsync(_client))
        {
            return _client;
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _client = jsonRpc
            ? await JsonRpcClient.ConnectAsync(new Uri(baseUri, "/api/current"))
            : await DdpClient.ConnectAsync(new Uri(baseUri, "/websocket"));
        if (identity.IsSignedIn && !(await CallAsync(_client, identity.LoginCall.Method, identity.LoginCall.Args))
                .GetProperty("result").GetBoolean())
        {
            throw new InvalidOperationException($"{identity} could not sign in");
        }

        return _client;
    }

    /// <summary>Whether the connection is open and, for a signed-in identity, still signed in.</summary>
    private async Task<bool> StillSignedInAsync(WebSocketTestClient client)
    {
        try
        {
            // Signed out answers 207; a BATCH_AGENT key is refused auth.me (13) while still signed in.
            var answer = await CallAsync(client, identity.IsSignedIn ? "auth.me" : "core.ping");
            return !answer.TryGetProperty("error", out _) || (identity.IsSignedIn && Classify(answer) != Verdict.NotAuthenticated);
        }
        catch (InvalidOperationException)
        {
            return false; // The connection closed.
        }
    }

    private static Task<JsonElement> CallAsync(WebSocketTestClient client, string method, params object?[] parameters) =>
        client switch
        {
            DdpClient ddp => ddp.CallAsync(method, parameters),
            JsonRpcClient rpc => rpc.CallAsync(method, parameters),
            _ => throw new InvalidOperationException("Unknown client"),
        };

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }
}
