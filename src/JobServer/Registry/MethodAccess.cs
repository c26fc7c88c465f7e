using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>Who may call a method.</summary>
/// <param name="IsPrivate">Not callable remotely at all.</param>
/// <param name="NoAuth">Anonymous sessions may call it (rate-limited).</param>
/// <param name="Roles">Any of these roles grants the call; FULL_ADMIN always does.</param>
internal sealed record MethodAccess(bool IsPrivate, bool NoAuth, IReadOnlyList<string> Roles)
{
    public bool Allows(ICallContext caller)
    {
        if (NoAuth)
        {
            return true;
        }

        if (!caller.IsAuthenticated)
        {
            return false;
        }

        return caller.Roles.Contains(Role.FullAdmin) ||
               Roles.Any(role => role == Role.Authenticated || caller.Roles.Contains(role));
    }
}
