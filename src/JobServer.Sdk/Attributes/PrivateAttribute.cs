namespace JobServer.Sdk;

/// <summary>
/// A method (or a whole service) other code in the daemon may call but remote clients may not: it is neither
/// callable over any protocol nor listed by <c>core.get_methods</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class PrivateAttribute : Attribute;
