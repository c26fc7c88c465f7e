using JobServer.Jobs;

namespace JobServer.Transfers;

/// <summary>The caller an HTTP request authenticated as, or the answer that refuses it.</summary>
internal sealed record HttpSignIn(JobCaller? Caller, IResult? Refusal)
{
    public static HttpSignIn Refuse(int status, string message) => new(null, HttpError.Json(status, message));

    public void Deconstruct(out JobCaller? caller, out IResult? refusal)
    {
        caller = Caller;
        refusal = Refusal;
    }
}
