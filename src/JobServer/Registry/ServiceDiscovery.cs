using System.Reflection;
using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>
/// Finds service types: the daemon's own, and those of plugin assemblies in plugin folders. A plugin is either
/// <c>&lt;folder&gt;/Name.dll</c> or <c>&lt;folder&gt;/Name/Name.dll</c> (a published plugin with its dependencies).
/// </summary>
internal static class ServiceDiscovery
{
    public static IReadOnlyList<Type> ServiceTypesIn(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } &&
                        typeof(Service).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();

    public static IEnumerable<string> PluginAssemblyPaths(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var dll in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            yield return dll;
        }

        foreach (var directory in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var dll = Path.Combine(directory, Path.GetFileName(directory) + ".dll");
            if (File.Exists(dll))
            {
                yield return dll;
            }
        }
    }

    public static Assembly LoadPlugin(string path) =>
        new PluginLoadContext(Path.GetFullPath(path)).LoadFromAssemblyPath(Path.GetFullPath(path));
}
