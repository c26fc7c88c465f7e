namespace JobServer.Auth;

/// <summary>The result of <see cref="ApiKeyAuthenticator.VerifyAsync"/>.</summary>
internal sealed record ApiKeyCheck(LoginResult Result, string? Username, IReadOnlyList<string> Roles)
{
    public static readonly ApiKeyCheck Failed = new(LoginResult.AuthError, null, []);
}
