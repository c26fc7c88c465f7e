using System.Collections.Frozen;
using JobServer.Storage;

namespace JobServer.Auth;

/// <summary>
/// An API key's row as read, with what it grants worked out once: the key's roles narrowed to what its owner held
/// at the read (<see cref="KnownRoles.Narrow"/>). Worked out per read, not per request: a script sending its key
/// with every request would otherwise build the same role set each time.
/// </summary>
/// <param name="Row">The key as stored.</param>
/// <param name="GrantedRoles">The roles a sign-in with the key gets; null when the owner is gone or locked.</param>
/// <param name="AccountVersion">The owner's change count, read before the owner's row
/// (<see cref="SignedInSessions.AccountVersion"/>).</param>
internal sealed record VerifiedApiKey(ApiKey Row, FrozenSet<string>? GrantedRoles, long AccountVersion)
{
    /// <param name="ownerRoles">The owner's roles; null when the owner is gone or locked.</param>
    public static VerifiedApiKey Of(ApiKey row, IReadOnlySet<string>? ownerRoles, long accountVersion) =>
        new(row, ownerRoles is null
            ? null
            : KnownRoles.Narrow(KnownRoles.Split(row.Roles), ownerRoles).ToFrozenSet(StringComparer.Ordinal),
            accountVersion);
}
