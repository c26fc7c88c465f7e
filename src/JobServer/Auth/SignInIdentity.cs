namespace JobServer.Auth;

/// <summary>Who a successful sign-in is, and what the credential lets it do.</summary>
/// <param name="Username">The account.</param>
/// <param name="Roles">The roles granted: the account's, or a key's or token's narrowed to what the account holds.</param>
/// <param name="CredentialType"><c>LOGIN_PASSWORD</c>, <c>API_KEY</c> or <c>TOKEN</c>.</param>
/// <param name="TokenHash">The hash of the token it signed in with (a session keeps it alive while used).</param>
/// <param name="ApiKeyId">The API key it signed in with (its sessions end when the key is revoked).</param>
/// <param name="AccountVersion">The account's change count when it was checked: a session is not signed in with
/// an identity an account change has overtaken (see <see cref="SignedInSessions.TrySignIn"/>).</param>
internal sealed record SignInIdentity(
    string Username,
    IReadOnlyCollection<string> Roles,
    string CredentialType,
    string? TokenHash,
    long? ApiKeyId,
    long AccountVersion);
