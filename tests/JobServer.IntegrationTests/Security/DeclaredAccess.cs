using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.IntegrationTests.Security;

/// <summary>
/// What a method's declared access (its attributes, as the registry read them) says each identity must get.
/// Worked out here from the declaration, not by asking the daemon's own check, so the matrix tests the check.
/// </summary>
internal static class DeclaredAccess
{
    public static Verdict Expected(MethodDescriptor method, Identity identity)
    {
        var access = method.Access;
        if (access.IsPrivate)
        {
            return Verdict.NotFound;
        }

        if (access.NoAuth)
        {
            return Verdict.Admitted;
        }

        if (!identity.IsSignedIn)
        {
            return Verdict.NotAuthenticated;
        }

        // BATCH_AGENT is a limit: its holder gets only the agent methods, and only its holders get them.
        var isAgent = identity.Roles.Contains(Role.BatchAgent);
        var agentMethod = access.Roles.Contains(Role.BatchAgent);
        if (isAgent || agentMethod)
        {
            return isAgent && agentMethod ? Verdict.Admitted : Verdict.NotAuthorized;
        }

        var granted = identity.Roles.Contains(Role.FullAdmin) ||
                      access.Roles.Contains(Role.Authenticated) ||
                      access.Roles.Any(identity.Roles.Contains);
        return granted ? Verdict.Admitted : Verdict.NotAuthorized;
    }

    /// <summary>The access of a method as one line of the reviewed table (authorization-matrix.txt).</summary>
    public static string Describe(MethodDescriptor method)
    {
        var access = method.Access;
        var what = access switch
        {
            { IsPrivate: true } => "private",
            { NoAuth: true, RateLimited: true } => "no-auth, rate-limited",
            { NoAuth: true } => "no-auth",
            _ => string.Join(" | ", access.Roles.Order(StringComparer.Ordinal)),
        };
        var pipes = method.Job?.Pipes ?? JobPipes.None;
        // A process job's body runs in a worker: reviewed like its access, since its rights there are its caller's.
        var job = method.Job is { Process: true } ? "job, process" : "job";
        var kind = method.Job is null ? "" : pipes == JobPipes.None ? $" [{job}]" : $" [{job}, pipes: {pipes}]";
        return $"{method.Name}: {what}{kind}";
    }
}
