using System.Reflection;
using System.Runtime.Loader;

namespace JobServer.Registry;

/// <summary>
/// Loads one plugin with its own dependencies, but shares the SDK (and everything the daemon already loaded)
/// with the daemon, so the plugin's services derive from the very <c>Service</c> type the registry knows.
/// </summary>
internal sealed class PluginLoadContext(string pluginPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(pluginPath))
{
    private readonly AssemblyDependencyResolver _resolver = new(pluginPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Prefer the daemon's copy of anything it already has: one Service type, one System.Text.Json.
        var shared = Default.Assemblies.FirstOrDefault(a => a.GetName().Name == assemblyName.Name);
        if (shared is not null)
        {
            return shared;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
