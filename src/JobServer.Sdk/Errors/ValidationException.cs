using System.Text;

namespace JobServer.Sdk.Errors;

/// <summary>
/// One or more invalid attributes (middlewared's ValidationErrors). Clients see errno 11 (EAGAIN) with
/// type <c>"VALIDATION"</c> and <c>extra</c> <c>[[attribute, message, errno], …]</c>; when there is exactly one
/// error raised by a method body, its own errno is used, as upstream's single ValidationError.
/// </summary>
public class ValidationException : Exception
{
    /// <summary>Creates a validation failure from its errors.</summary>
    public ValidationException(IReadOnlyList<ValidationError> errors)
        : base(Describe(errors))
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
    }

    /// <summary>Creates a validation failure for a single attribute.</summary>
    public ValidationException(string? attribute, string message, int errno = Sdk.Errors.Errno.EINVAL)
        : this([new ValidationError(attribute, message, errno)])
    {
    }

    /// <summary>Creates a validation failure with one message about the whole call.</summary>
    public ValidationException() : this(null, "Invalid call")
    {
    }

    /// <summary>Creates a validation failure with one message about the whole call.</summary>
    public ValidationException(string message) : this(null, message)
    {
    }

    /// <summary>Creates a validation failure with one message about the whole call.</summary>
    public ValidationException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [new ValidationError(null, message)];
    }

    /// <summary>The invalid attributes.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>
    /// For a method that checks every field before answering: throws one exception carrying all the errors found,
    /// or does nothing when there are none.
    /// </summary>
    public static void ThrowIfAny(IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }
    }

    /// <summary>The errno clients see: the error's own for a single one, else 11 (EAGAIN).</summary>
    public virtual int Errno => Errors.Count == 1 ? Errors[0].Errno : Sdk.Errors.Errno.EAGAIN;

    private static string Describe(IReadOnlyList<ValidationError> errors)
    {
        var text = new StringBuilder();
        foreach (var error in errors)
        {
            text.Append('[').Append(Sdk.Errors.Errno.NameOf(error.Errno)).Append("] ");
            if (!string.IsNullOrEmpty(error.Attribute))
            {
                text.Append(error.Attribute).Append(": ");
            }

            text.Append(error.Message).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }
}
