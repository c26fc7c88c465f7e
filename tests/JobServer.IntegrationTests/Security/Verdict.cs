namespace JobServer.IntegrationTests.Security;

/// <summary>What a door answered a call, as far as authorization goes.</summary>
public enum Verdict
{
    /// <summary>The call got past authorization (it may still fail for its arguments).</summary>
    Admitted,

    /// <summary>Refused for want of a sign-in (errno 207 ENOTAUTHENTICATED, HTTP 401).</summary>
    NotAuthenticated,

    /// <summary>Refused for want of a role (errno 13 EACCES, HTTP 403).</summary>
    NotAuthorized,

    /// <summary>Not callable from outside at all: a private method answers as an unknown one.</summary>
    NotFound,
}
