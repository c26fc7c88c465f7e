namespace JobServer.Calls;

/// <summary>
/// A connection's switches, set with <c>core.set_options</c> (reference §2.5); the defaults are middlewared's.
/// Replaced whole on every change, so a call reads one consistent set.
/// </summary>
/// <param name="LegacyJobs">A job call answers the job id (true) or waits and answers the job's outcome (false, JSON-RPC only).</param>
/// <param name="PrivateMethods">Private methods may be called (JSON-RPC only).</param>
/// <param name="PyExceptions">Accepted and stored; there is no Python exception to pickle here.</param>
internal sealed record ConnectionOptions(bool LegacyJobs = true, bool PrivateMethods = false, bool PyExceptions = false)
{
    public static readonly ConnectionOptions Default = new();
}
