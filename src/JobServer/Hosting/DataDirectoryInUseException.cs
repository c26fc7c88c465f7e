namespace JobServer.Hosting;

/// <summary>Another process holds the data directory's lock: this one must not touch anything in it.</summary>
internal sealed class DataDirectoryInUseException : Exception
{
    public DataDirectoryInUseException()
        : this("The data directory is in use by another process")
    {
    }

    public DataDirectoryInUseException(string message)
        : base(message)
    {
    }

    public DataDirectoryInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
