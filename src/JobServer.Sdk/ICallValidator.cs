namespace JobServer.Sdk;

/// <summary>
/// Checks a call of a job method once its arguments are bound and before its job is created, so a call that is
/// bound to fail is refused with a validation error and leaves no job behind (issue 12). A job method names its
/// validator with <see cref="JobAttribute.Validator"/>; the daemon creates it once at start, with constructor
/// dependencies from its container (settings, the filesystem roots, …).
/// </summary>
/// <remarks>
/// Check only what is certain when the call arrives; the job still checks again when it runs, since what it
/// touches may change while it waits.
/// </remarks>
public interface ICallValidator
{
    /// <summary>Throws a <see cref="Errors.ValidationException"/> (or a <see cref="Errors.CallError"/>) for a call that cannot succeed.</summary>
    /// <param name="caller">Who calls; the job would run with these rights.</param>
    /// <param name="arguments">The bound wire arguments in positional order, defaults filled in for omitted ones.</param>
    void Validate(ICallContext caller, IReadOnlyList<object?> arguments);
}
