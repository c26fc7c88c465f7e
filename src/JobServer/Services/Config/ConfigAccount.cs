using JobServer.Auth;
using JobServer.Sdk;

namespace JobServer.Services.Config;

/// <summary>An account of an uploaded configuration, as far as the restore has to reason about it.</summary>
internal sealed record ConfigAccount(string Username, IReadOnlySet<string> Roles, bool Locked)
{
    public bool IsActiveFullAdmin => !Locked && Roles.Contains(Role.FullAdmin);

    public static ConfigAccount From(string username, string storedRoles, bool locked) =>
        new(username, KnownRoles.Split(storedRoles).ToHashSet(StringComparer.Ordinal), locked);
}
