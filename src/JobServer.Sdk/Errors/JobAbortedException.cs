namespace JobServer.Sdk.Errors;

/// <summary>
/// Thrown by a job body to end as ABORTED rather than FAILED (for example when its own time limit runs out);
/// the message becomes the job's <c>error</c>.
/// </summary>
public sealed class JobAbortedException : OperationCanceledException
{
    /// <summary>Creates the exception with the reason clients see.</summary>
    public JobAbortedException(string reason) : base(reason)
    {
    }

    /// <summary>Creates the exception with a generic reason.</summary>
    public JobAbortedException() : this("Aborted")
    {
    }

    /// <summary>Creates the exception with a reason and its cause.</summary>
    public JobAbortedException(string reason, Exception innerException) : base(reason, innerException)
    {
    }
}
