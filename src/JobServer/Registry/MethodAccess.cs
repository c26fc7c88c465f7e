using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>Who may call a method.</summary>
/// <param name="IsPrivate">Not callable remotely at all.</param>
/// <param name="NoAuth">Anonymous sessions may call it (rate-limited).</param>
/// <param name="Roles">Any of these roles grants the call; FULL_ADMIN always does, except for the methods of the
/// limiting role BATCH_AGENT.</param>
/// <param name="RateLimited">Anonymous calls of a no-auth method count against the per-address rate limit.</param>
internal sealed record MethodAccess(bool IsPrivate, bool NoAuth, IReadOnlyList<string> Roles, bool RateLimited = true)
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

        // BATCH_AGENT is a limit (issue 16): an agent key calls only agent methods, and only agents call them.
        var isAgent = caller.Roles.Contains(Role.BatchAgent);
        var agentMethod = Roles.Contains(Role.BatchAgent);
        if (isAgent || agentMethod)
        {
            return isAgent && agentMethod;
        }

        return caller.Roles.Contains(Role.FullAdmin) ||
               Roles.Any(role => role == Role.Authenticated || caller.Roles.Contains(role));
    }
}
