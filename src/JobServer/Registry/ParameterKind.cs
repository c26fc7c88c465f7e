namespace JobServer.Registry;

/// <summary>Where a method parameter's value comes from.</summary>
internal enum ParameterKind
{
    /// <summary>Bound from the call's positional JSON <c>params</c>.</summary>
    Wire,

    /// <summary>The caller (<see cref="JobServer.Sdk.ICallContext"/>).</summary>
    CallContext,

    /// <summary>Cancelled when the caller goes away or the daemon stops.</summary>
    CancellationToken,

    /// <summary>The running job (<see cref="JobServer.Sdk.IJobContext"/>), first parameter of a job method.</summary>
    JobContext,
}
