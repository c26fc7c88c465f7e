namespace JobServer.Sdk;

/// <summary>
/// A method an anonymous session may call (such as <c>core.ping</c> and the login methods). Anonymous calls are
/// rate-limited per client address and bounded to small messages.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class NoAuthAttribute : Attribute;
