namespace JobServer.Sdk.Errors;

/// <summary>
/// <c>get_instance</c> found nothing: a validation error with errno 2 (ENOENT) and no attribute, as upstream's
/// InstanceNotFound.
/// </summary>
public sealed class InstanceNotFoundException : ValidationException
{
    /// <summary>Creates the error, such as "User 5 does not exist".</summary>
    public InstanceNotFoundException(string message) : base(null, message, Sdk.Errors.Errno.ENOENT)
    {
    }

    /// <summary>Creates the error with a generic message.</summary>
    public InstanceNotFoundException() : this("Instance does not exist")
    {
    }

    /// <summary>Creates the error with a generic message.</summary>
    public InstanceNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
