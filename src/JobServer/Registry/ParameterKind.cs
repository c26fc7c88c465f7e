
namespace JobServer.Registry;

/// <summary>Where a method parameter's value comes from.</summary>
internal enum ParameterKind
{
    /// <summary>Bound from the call's positional JSON <c>params</c>.</summary>
    Wire,

    /// <summary>The caller (<see cref="JobServer.Sdk.ICallContext"/>).</summary>
    CallContext,

    /// <summary>The caller as the daemon sees it (<see cref="JobServer.Calls.Caller"/>: with its address and how it
    /// signed in). Not for job methods: a job runs with its stored <see cref="JobServer.Sdk.ICallContext"/>.</summary>
    Caller,

    /// <summary>
    /// The live connection the call came on (<see cref="JobServer.Sessions.ILiveSession"/>). A method that takes one
    /// can only be called over a WebSocket: from <c>core.bulk</c>, a job or HTTP it is refused before it runs.
    /// </summary>
    LiveSession,

    /// <summary>Cancelled when the caller goes away or the daemon stops.</summary>
    CancellationToken,

    /// <summary>The running job (<see cref="JobServer.Sdk.IJobContext"/>), first parameter of a job method.</summary>
    JobContext,
}
