using JobServer.Protocol;
using JobServer.Registry;
using JobServer.Sdk.Errors;

namespace JobServer.Auth;

/// <summary>
/// What the Dispatcher asks of accounts before running an authorized call: anonymous calls are rate-limited per
/// client address and method, and a call on a token-signed session keeps that token alive.
/// </summary>
internal sealed class CallAdmission(AnonymousRateLimiter rateLimiter, SignedInSessions signedIn)
{
    /// <summary>Throws middlewared's <c>CallError("Rate Limit Exceeded", EBUSY)</c> when over the limit.</summary>
    public void Admit(Session session, MethodDescriptor method)
    {
        if (session.IsAuthenticated)
        {
            signedIn.NotifyActivity(session);
            return;
        }

        if (method.Access is { NoAuth: true, RateLimited: true } && !rateLimiter.TryAcquire(session.RemoteAddress, method.Name))
        {
            throw new CallError("Rate Limit Exceeded", Errno.EBUSY);
        }
    }
}
