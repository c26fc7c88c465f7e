namespace JobServer.Sdk;

/// <summary>
/// The base of every service. Each public instance method of a subclass is a remote procedure named
/// <c>namespace.method_name</c>. Services are created once, with constructor dependencies from the daemon's
/// container, and may be called concurrently.
/// </summary>
public abstract class Service
{
    /// <summary>Where the service publishes events; set by the daemon when it registers the service.</summary>
    public IEventPublisher Events { get; internal set; } = NullEventPublisher.Instance;

    /// <summary>The service's namespace, such as <c>user</c>; set by the daemon when it registers the service.</summary>
    public string Namespace { get; internal set; } = "";
}
