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

    /// <summary>A real token made for something else (a download token presented as a login): HTTP answers 403.</summary>
    WrongPurpose,

    /// <summary>Refused unchecked: the account or address is backing off, or the hash queue is full.</summary>
    RateLimited,
}
