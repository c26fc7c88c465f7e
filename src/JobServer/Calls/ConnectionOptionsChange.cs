namespace JobServer.Calls;

/// <summary>The argument of <c>core.set_options</c>: the switches to change; absent ones (and unknown keys) are left alone.</summary>
internal sealed record ConnectionOptionsChange(
    bool? LegacyJobs = null, bool? PrivateMethods = null, bool? PyExceptions = null)
{
    public ConnectionOptions ApplyTo(ConnectionOptions current) => current with
    {
        LegacyJobs = LegacyJobs ?? current.LegacyJobs,
        PrivateMethods = PrivateMethods ?? current.PrivateMethods,
        PyExceptions = PyExceptions ?? current.PyExceptions,
    };
}
