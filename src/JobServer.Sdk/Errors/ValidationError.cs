namespace JobServer.Sdk.Errors;

/// <summary>One invalid attribute: its dotted name, what is wrong, and an errno.</summary>
/// <param name="Attribute">The attribute's name, such as <c>user_create.username</c>; null for the whole call.</param>
/// <param name="Message">What is wrong with it, for a person.</param>
/// <param name="Errno">The errno; usually <see cref="Errno.EINVAL"/>.</param>
public sealed record ValidationError(string? Attribute, string Message, int Errno = Errors.Errno.EINVAL);
