using System.Reflection;
using JobServer.Configuration;
using JobServer.Events;
using JobServer.Registry;
using JobServer.Sdk;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>
/// Creates every service once (built-ins from the daemon's assembly, then plugins) with constructor
/// dependencies from the container, and builds the method registry from them.
/// </summary>
internal static partial class ServiceCatalogBuilder
{
    public static MethodRegistry Build(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<JobServerOptions>>().Value;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("JobServer.Plugins");
        var events = provider.GetRequiredService<EventHub>();
        var types = new List<Type>(ServiceDiscovery.ServiceTypesIn(Assembly.GetExecutingAssembly()));
        foreach (var folder in PluginFolders(options))
        {
            foreach (var path in ServiceDiscovery.PluginAssemblyPaths(folder))
            {
                var assembly = ServiceDiscovery.LoadPlugin(path);
                var pluginTypes = ServiceDiscovery.ServiceTypesIn(assembly);
                LogPluginLoaded(logger, path, pluginTypes.Count);
                types.AddRange(pluginTypes);
            }
        }

        var services = new List<Service>();
        foreach (var type in types)
        {
            var service = (Service)ActivatorUtilities.CreateInstance(provider, type);
            service.Events = events;
            services.Add(service);
        }

        return MethodRegistryBuilder.Build(services, type => ActivatorUtilities.CreateInstance(provider, type));
    }

    private static IEnumerable<string> PluginFolders(JobServerOptions options)
    {
        yield return options.DataPath("plugins");
        if (!string.IsNullOrEmpty(options.PluginDirectory))
        {
            yield return Path.GetFullPath(options.PluginDirectory);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded plugin {Path} with {ServiceCount} service(s)")]
    private static partial void LogPluginLoaded(ILogger logger, string path, int serviceCount);
}
