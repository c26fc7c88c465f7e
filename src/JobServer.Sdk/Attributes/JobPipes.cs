namespace JobServer.Sdk;

/// <summary>The pipes a job declares.</summary>
[Flags]
public enum JobPipes
{
    /// <summary>No pipe.</summary>
    None = 0,

    /// <summary>The job reads an uploaded stream.</summary>
    Input = 1,

    /// <summary>The job writes a stream clients download.</summary>
    Output = 2,
}
