namespace JobServer.Protocol.JsonRpc;

/// <summary>The JSON-RPC error codes middlewared answers (truenas_api_client <c>jsonrpc.py</c>, reference §2).</summary>
internal static class JsonRpcErrorCode
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>middlewared's own: more calls in flight than the connection may have.</summary>
    public const int TooManyConcurrentCalls = -32000;

    /// <summary>middlewared's own: the method ran (or was refused) and raised an error; details in <c>data</c>.</summary>
    public const int CallError = -32001;
}
