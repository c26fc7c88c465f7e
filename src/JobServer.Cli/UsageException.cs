namespace JobServer.Cli;

/// <summary>A mistake in how jobctl was called (exit 2), found after parsing: a bad file, a missing credential.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
