namespace JobServer.Auth;

/// <summary>The result of <see cref="ApiKeyAuthenticator.VerifyAsync"/>.</summary>
/// <param name="AccountVersion">The owner's change count, read before its row (see <see cref="SignInIdentity"/>).</param>
internal sealed record ApiKeyCheck(
    LoginResult Result, string? Username, IReadOnlyCollection<string> Roles, long? KeyId = null, long AccountVersion = 0)
{
    public static readonly ApiKeyCheck Failed = new(LoginResult.AuthError, null, []);
}
