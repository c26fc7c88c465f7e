namespace JobServer.Auth;

/// <summary>Authentication settings (<c>JobServer:Auth</c>).</summary>
internal sealed class AuthOptions
{
    public const string Section = "JobServer:Auth";

    /// <summary>How long a failed login is held before it answers false, to slow password guessing.</summary>
    public int FailedLoginDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Default calls of one no-auth method an unauthenticated client address may make per window (middlewared's
    /// 20 per 60 s); <c>system.general</c> overrides it at run time. 0 turns the limit off.
    /// </summary>
    public int AnonymousRateLimit { get; set; } = 20;

    /// <summary>Default length of the anonymous rate-limit window, in seconds.</summary>
    public int AnonymousRateWindowSeconds { get; set; } = 60;

    /// <summary>PBKDF2 iterations for new password hashes.</summary>
    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;
}
