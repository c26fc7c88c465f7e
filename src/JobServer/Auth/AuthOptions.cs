namespace JobServer.Auth;

/// <summary>Authentication settings (<c>JobServer:Auth</c>).</summary>
internal sealed class AuthOptions
{
    public const string Section = "JobServer:Auth";

    /// <summary>How long a failed login is held before it answers false, to slow password guessing.</summary>
    public int FailedLoginDelayMilliseconds { get; set; } = 1000;

    /// <summary>PBKDF2 iterations for new password hashes.</summary>
    public int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;
}
