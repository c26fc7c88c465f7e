namespace JobServer.Sdk;

/// <summary>
/// Sets a service's namespace explicitly, such as <c>pool.dataset</c>. Without it the namespace is the class
/// name minus a trailing <c>Service</c>, lower-cased.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NamespaceAttribute(string name) : Attribute
{
    /// <summary>The namespace, dots allowed.</summary>
    public string Name { get; } = name;
}
