using JobServer.Calls;
using JobServer.Registry;

namespace JobServer.Auth;

/// <summary>
/// What the Dispatcher asks of accounts before running an authorized call: anonymous calls are rate-limited per
/// client address and method, and a call on a token-signed session keeps that token alive.
/// </summary>
internal sealed class CallAdmission(AnonymousRateLimiter rateLimiter, SignedInSessions signedIn)
{
    /// <summary>
    /// Throws middlewared's <c>CallError("Rate Limit Exceeded", EBUSY)</c> when over the limit, with
    /// <c>extra.retry_after</c> as every rate-limit refusal of the daemon (<see cref="RateLimitExceeded"/>).
    /// </summary>
    public void Admit(Caller caller, MethodDescriptor method)
    {
        if (caller.IsAuthenticated)
        {
            signedIn.NotifyActivity(caller.SessionId);
            return;
        }

        if (method.Access is { NoAuth: true, RateLimited: true } &&
            !rateLimiter.TryAcquire(caller.ClientAddress, method.Name, out var retryAfter))
        {
            throw RateLimitExceeded.Error(retryAfter);
        }
    }
}
