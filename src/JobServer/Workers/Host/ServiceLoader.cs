using System.Reflection;
using JobServer.Registry;
using JobServer.Sdk;
using JobServer.Workers.Channel;

namespace JobServer.Workers.Host;

/// <summary>
/// Finds a job's method in the worker: loads the service's assembly (the daemon's own, or a plugin with its own
/// dependencies, exactly as the daemon loads it), creates the service once — with only what a worker can give a
/// constructor: loggers and the clock — and describes its methods with the daemon's own registry builder, so
/// arguments bind the same way.
/// </summary>
internal sealed class ServiceLoader(IServiceProvider services)
{
    private readonly Dictionary<string, Assembly> _plugins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MethodRegistry> _registries = new(StringComparer.Ordinal);

    public (Service Instance, MethodDescriptor Method) Resolve(RunMessage run)
    {
        var key = run.AssemblyPath + "|" + run.TypeName;
        if (!_registries.TryGetValue(key, out var registry))
        {
            var type = AssemblyOf(run.AssemblyPath).GetType(run.TypeName, throwOnError: true)!;
            if (!typeof(Service).IsAssignableFrom(type))
            {
                throw new InvalidOperationException($"{run.TypeName} is not a service");
            }

            var instance = (Service)ActivatorUtilities.CreateInstance(services, type);
            // Validators run in the daemon, before the job exists: the worker needs none.
            registry = MethodRegistryBuilder.Build([instance], _ => null!);
            _registries[key] = registry;
        }

        return registry.TryGetMethod(run.Method, out var method)
            ? (method.Service.Instance, method)
            : throw new InvalidOperationException($"{run.TypeName} has no method {run.Method}");
    }

    private Assembly AssemblyOf(string? path)
    {
        if (path is null)
        {
            return typeof(ServiceLoader).Assembly;
        }

        if (!_plugins.TryGetValue(path, out var assembly))
        {
            assembly = ServiceDiscovery.LoadPlugin(path);
            _plugins[path] = assembly;
        }

        return assembly;
    }
}
