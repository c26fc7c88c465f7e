using System.Collections.Frozen;
using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>
/// Every service and remote method of the daemon, built once at start (built-ins and plugins). Lookups are
/// lock-free reads of frozen dictionaries.
/// </summary>
internal sealed class MethodRegistry
{
    private readonly FrozenDictionary<string, ServiceDescriptor> _services;
    private readonly FrozenDictionary<string, MethodDescriptor> _methods;

    public MethodRegistry(IEnumerable<ServiceDescriptor> services, IEnumerable<MethodDescriptor> methods)
    {
        _services = services.ToFrozenDictionary(s => s.Namespace, StringComparer.Ordinal);
        _methods = methods.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public IEnumerable<ServiceDescriptor> Services => _services.Values;

    public IEnumerable<MethodDescriptor> Methods => _methods.Values;

    public bool TryGetService(string name, out ServiceDescriptor service) =>
        _services.TryGetValue(name, out service!);

    public bool TryGetMethod(string name, out MethodDescriptor method) =>
        _methods.TryGetValue(name, out method!);

    /// <summary>Finds a service instance of a type (for daemon code that calls a service directly).</summary>
    public T GetService<T>() where T : Service =>
        (T)_services.Values.First(s => s.Instance is T).Instance;
}
