using System.Collections.Frozen;
using JobServer.Sdk;

namespace JobServer.Jobs;

/// <summary>
/// Who submitted a job, kept with it: the job runs with the caller's rights, and only its owner and admins
/// see it. Survives the session (and a daemon restart).
/// </summary>
internal sealed class JobCaller(string sessionId, string? username, IEnumerable<string> roles, string? credentialType)
    : ICallContext
{
    public string SessionId { get; } = sessionId;

    public string? Username { get; } = username;

    public IReadOnlySet<string> Roles { get; } = roles.ToFrozenSet(StringComparer.Ordinal);

    public string? CredentialType { get; } = credentialType;

    /// <summary>The daemon itself, for actions no client asked for (an expired download window, for instance).</summary>
    public static readonly JobCaller Daemon = new("daemon", null, [Role.FullAdmin], null);

    public static JobCaller From(ICallContext caller) => new(
        caller.SessionId, caller.Username, caller.Roles, caller.CredentialType);

    /// <summary>Admins (full or read-only) see every job; anyone else only their own.</summary>
    public static bool MaySee(ICallContext viewer, string? owner) =>
        viewer.HasRole(Role.ReadonlyAdmin) || (viewer.Username is not null && viewer.Username == owner);
}
