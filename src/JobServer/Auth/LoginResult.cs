namespace JobServer.Auth;

/// <summary>The outcome of checking credentials, as <c>auth.login_ex</c> reports it.</summary>
internal enum LoginResult
{
    /// <summary>The credentials are good.</summary>
    Success,

    /// <summary>Unknown, wrong, revoked, or the account is locked (<c>AUTH_ERR</c>).</summary>
    AuthError,

    /// <summary>A right API key past its expiry (<c>EXPIRED</c>).</summary>
    Expired,
}
