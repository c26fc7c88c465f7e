namespace JobServer.Client;

/// <summary>
/// The client could not reach the daemon, lost the connection while a call waited, or could not sign in
/// (<see cref="SignInRefused"/>): nothing is known about whether a call in flight ran.
/// </summary>
public sealed class JobServerConnectionException : Exception
{
    public JobServerConnectionException()
    {
    }

    public JobServerConnectionException(string message)
        : base(message)
    {
    }

    public JobServerConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal JobServerConnectionException(string message, bool signInRefused)
        : base(message) => SignInRefused = signInRefused;

    /// <summary>True when the daemon answered but refused the credentials.</summary>
    public bool SignInRefused { get; }
}
