namespace JobServer.Auth;

/// <summary>The kinds of credential the sign-in guard checks.</summary>
internal enum SignInCredentialKind
{
    /// <summary>A username and password (PBKDF2, through the hash queue).</summary>
    Password,

    /// <summary>An API key, <c>&lt;id&gt;-&lt;secret&gt;</c>.</summary>
    ApiKey,

    /// <summary>A token from <c>auth.generate_token</c>.</summary>
    Token,
}
