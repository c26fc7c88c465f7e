using System.Net.WebSockets;

namespace JobServer.Probes.Fuzzing;

/// <summary>One fuzzed input: a message's bytes, the frame type, and how many fragments it is sent in.</summary>
internal sealed record FuzzFrame(byte[] Bytes, WebSocketMessageType Type = WebSocketMessageType.Text, int Fragments = 1)
{
    /// <summary>A text frame that is not UTF-8: the WebSocket layer itself refuses it (RFC 6455 §8.1).</summary>
    public bool IsInvalidUtf8 => Type == WebSocketMessageType.Text && !System.Text.Unicode.Utf8.IsValid(Bytes);
}
