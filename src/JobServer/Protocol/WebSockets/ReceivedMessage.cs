namespace JobServer.Protocol.WebSockets;

/// <summary>What one receive produced: a whole text message, or why there is none.</summary>
internal readonly record struct ReceivedMessage(ReceiveStatus Status, byte[] Payload)
{
    public static readonly ReceivedMessage Closed = new(ReceiveStatus.Closed, []);
    public static readonly ReceivedMessage Binary = new(ReceiveStatus.Binary, []);
    public static readonly ReceivedMessage TooBig = new(ReceiveStatus.TooBig, []);
}

internal enum ReceiveStatus
{
    Text,
    Closed,
    Binary,
    TooBig,
}
