using System.Net.WebSockets;
using System.Text.Json;

namespace JobServer.Probes.Fuzzing;

/// <summary>
/// What docs/protocol.md allows the server to send: each check returns what is wrong with a message, or null.
/// </summary>
internal static class AnswerShapes
{
    private static readonly HashSet<string> DdpKinds =
        ["connected", "failed", "pong", "result", "updated", "ready", "nosub", "added", "changed", "removed", "error"];

    private static readonly HashSet<int> JsonRpcCodes = [-32700, -32600, -32601, -32602, -32603, -32000, -32001];

    /// <summary>The close codes of the transport table, and the ones every WebSocket may use.</summary>
    private static readonly HashSet<WebSocketCloseStatus> CloseCodes =
    [
        WebSocketCloseStatus.NormalClosure, WebSocketCloseStatus.EndpointUnavailable,
        WebSocketCloseStatus.InvalidMessageType, WebSocketCloseStatus.InvalidPayloadData,
        WebSocketCloseStatus.PolicyViolation, WebSocketCloseStatus.MessageTooBig,
        WebSocketCloseStatus.InternalServerError,
    ];

    public static string? Check(byte[] message, bool ddp)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object ? "not a JSON object"
                : ddp ? CheckDdp(root) : CheckJsonRpc(root);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return $"unreadable ({e.GetType().Name})";
        }
    }

    /// <summary>A close code outside the documented set, or a 1011 that is not DDP's malformed message.</summary>
    public static string? CheckClose(WebSocketCloseStatus status, string? description) => status switch
    {
        _ when !CloseCodes.Contains(status) => $"undocumented close code {(int)status}",
        WebSocketCloseStatus.InternalServerError when description?.StartsWith("Message is malformed", StringComparison.Ordinal) != true =>
            $"1011 for a fault: {description}",
        _ => null,
    };

    private static string? CheckDdp(JsonElement m)
    {
        var kind = m.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() : null;
        return kind switch
        {
            null => "no msg",
            _ when !DdpKinds.Contains(kind) => $"unknown msg '{kind}'",
            "result" when !IsString(m, "id") => "result without a string id",
            "result" when m.TryGetProperty("error", out var error) => CheckDdpError(error),
            "result" when !m.TryGetProperty("result", out _) => "result without result or error",
            "updated" when !m.TryGetProperty("methods", out var methods) || methods.ValueKind != JsonValueKind.Array =>
                "updated without methods",
            "error" when !IsString(m, "reason") => "error without a reason",
            "connected" when !IsString(m, "session") => "connected without a session",
            _ => null,
        };
    }

    private static string? CheckDdpError(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object && error.GetProperty("error").ValueKind == JsonValueKind.Number &&
        IsString(error, "errname") && IsString(error, "reason")
            ? null
            : $"malformed error object {error}";

    private static string? CheckJsonRpc(JsonElement m)
    {
        if (!m.TryGetProperty("jsonrpc", out var version) || !version.ValueEquals("2.0"))
        {
            return "no jsonrpc 2.0";
        }

        if (!m.TryGetProperty("id", out _))
        {
            return IsString(m, "method") ? null : "neither a response nor a notification";
        }

        if (m.TryGetProperty("error", out var error))
        {
            return error.ValueKind == JsonValueKind.Object && error.GetProperty("code").TryGetInt32(out var code) &&
                   JsonRpcCodes.Contains(code) && IsString(error, "message")
                ? null
                : $"malformed error {error}";
        }

        return m.TryGetProperty("result", out _) ? null : "response without result or error";
    }

    private static bool IsString(JsonElement m, string name) =>
        m.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;
}
