namespace JobServer.Bench.Infrastructure;

/// <summary>
/// A <c>result</c> message: the error object (raw JSON) or the result, kept as a number, string or boolean when
/// it is one, else as raw JSON.
/// </summary>
internal sealed record CallReply(string? Error, long? Number, string? Text, bool? Bool, string? Raw)
{
    public static readonly CallReply Ready = new(null, null, "ready", null, null);

    public CallReply EnsureSuccess(string method) =>
        Error is null ? this : throw new DdpCallException(method, Error);
}
