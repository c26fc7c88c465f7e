using JobServer.Calls;

namespace JobServer.Transfers;

/// <summary>The caller an HTTP request authenticated as, or the answer that refuses it.</summary>
internal sealed record HttpSignIn(Caller? Caller, IResult? Refusal)
{
    public static HttpSignIn Refuse(int status, string message) => new(null, HttpError.Json(status, message));

    public void Deconstruct(out Caller? caller, out IResult? refusal)
    {
        caller = Caller;
        refusal = Refusal;
    }
}
