namespace JobServer.Probes;

/// <summary>The credentials every daemon started for tests and probes is given.</summary>
public static class ProbeCredentials
{
    /// <summary>The root password (<c>JOBSERVER_ROOT_PASSWORD</c>) of test and probe daemons.</summary>
    public const string RootPassword = "root-password-for-tests";

    /// <summary>PBKDF2 iterations for test daemons: fast sign-ins, the real algorithm.</summary>
    public const int PasswordIterations = 10_000;
}
