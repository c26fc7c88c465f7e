namespace JobServer.Sdk;

/// <summary>
/// Who is calling. A method receives it by declaring a parameter of this type; it is not bound from the call's
/// parameters.
/// </summary>
public interface ICallContext
{
    /// <summary>The session's id.</summary>
    string SessionId { get; }

    /// <summary>The signed-in user's name, or null for an anonymous session.</summary>
    string? Username { get; }

    /// <summary>The signed-in user's roles.</summary>
    IReadOnlySet<string> Roles { get; }

    /// <summary>
    /// How the caller authenticated (<c>LOGIN_PASSWORD</c>, <c>API_KEY</c>, <c>TOKEN</c>), or null when unknown. A
    /// default member, so contexts written before it still compile and load.
    /// </summary>
    string? CredentialType => null;

    /// <summary>Whether the session is authenticated.</summary>
    bool IsAuthenticated => Username is not null;

    /// <summary>Whether the caller holds the role (a full admin holds every role).</summary>
    bool HasRole(string role) => Roles.Contains(Role.FullAdmin) || Roles.Contains(role);
}
