namespace JobServer.Sdk.Errors;

/// <summary>
/// The call's parameters do not match the method's signature. Always errno 11 (EAGAIN), as middlewared's
/// schema validation, however many errors there are.
/// </summary>
public sealed class ArgumentValidationException : ValidationException
{
    /// <summary>Creates the failure from its errors.</summary>
    public ArgumentValidationException(IReadOnlyList<ValidationError> errors) : base(errors)
    {
    }

    /// <summary>Creates the failure for a single argument.</summary>
    public ArgumentValidationException(string? attribute, string message, int errno = Sdk.Errors.Errno.EINVAL)
        : base(attribute, message, errno)
    {
    }

    /// <summary>Creates a failure about the whole call.</summary>
    public ArgumentValidationException() : base()
    {
    }

    /// <summary>Creates a failure about the whole call.</summary>
    public ArgumentValidationException(string message) : base(message)
    {
    }

    /// <summary>Creates a failure about the whole call.</summary>
    public ArgumentValidationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override int Errno => Sdk.Errors.Errno.EAGAIN;
}
