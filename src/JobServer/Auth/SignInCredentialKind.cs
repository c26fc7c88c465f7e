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

    /// <summary>
    /// A connection to the daemon's Unix socket whose peer (read by the kernel, <c>SO_PEERCRED</c>) is the daemon's
    /// own user or root: it signs in as <c>root</c>, as middlewared does for <c>midclt</c> on a TrueNAS host.
    /// </summary>
    UnixSocketPeer,
}
