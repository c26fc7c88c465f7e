namespace JobServer.Sdk;

/// <summary>
/// A method an anonymous session may call (such as <c>core.ping</c> and the login methods). Anonymous calls are
/// rate-limited per client address and bounded to small messages.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class NoAuthAttribute : Attribute
{
    /// <summary>
    /// Whether anonymous calls count against the per-address rate limit. <value>The default is true;</value>
    /// middlewared exempts only <c>core.set_options</c>.
    /// </summary>
    public bool RateLimited { get; set; } = true;
}
