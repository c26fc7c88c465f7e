using System.Reflection;
using System.Runtime.Loader;

namespace JobServer.Spark.Jobs;

/// <summary>
/// The load context of one Spark job's class path (uploaded assemblies and published folders, in order). It
/// shares the SDK and the shared framework with the worker, so the job implements the very <c>ISparkJob</c> the
/// daemon knows and there is one <c>System.Private.CoreLib</c>; everything else comes from the class path first
/// (a published folder through its <c>.deps.json</c> when it has one, else by file name), so a job's own version of
/// a library wins over the daemon's. What the class path lacks falls back to the worker's copy.
/// </summary>
internal sealed class SparkJobLoadContext : AssemblyLoadContext
{
    /// <summary>The SDK's name: always the worker's copy, whatever a job ships (type identity of ISparkJob).</summary>
    private static readonly string SdkName = typeof(Sdk.Spark.ISparkJob).Assembly.GetName().Name!;

    /// <summary>The names of the shared framework's assemblies (the runtime's and ASP.NET Core's folders).</summary>
    private static readonly Lazy<HashSet<string>> FrameworkNames = new(ReadFrameworkNames);

    private readonly List<AssemblyDependencyResolver> _resolvers = [];
    private readonly Dictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="classPath">Assembly files (any file name) and published folders, the job's own first.</param>
    public SparkJobLoadContext(IReadOnlyList<string> classPath) : base("spark-job")
    {
        ArgumentNullException.ThrowIfNull(classPath);
        foreach (var entry in classPath)
        {
            if (Directory.Exists(entry))
            {
                IndexFolder(entry);
            }
            else if (AssemblyNameOf(entry) is { } name)
            {
                _byName.TryAdd(name, entry);
            }
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name ?? "";
        if (name == SdkName || FrameworkNames.Value.Contains(name))
        {
            return null;   // the worker's (default context's) copy
        }

        foreach (var resolver in _resolvers)
        {
            if (resolver.ResolveAssemblyToPath(assemblyName) is { } resolved)
            {
                return LoadFromAssemblyPath(resolved);
            }
        }

        return _byName.TryGetValue(name, out var path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var resolver in _resolvers)
        {
            if (resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path)
            {
                return LoadUnmanagedDllFromPath(path);
            }
        }

        return IntPtr.Zero;
    }

    /// <summary>A folder's <c>X.deps.json</c> (beside <c>X.dll</c>) resolves its dependencies; its top-level assemblies by name.</summary>
    private void IndexFolder(string folder)
    {
        foreach (var deps in Directory.EnumerateFiles(folder, "*.deps.json").Order(StringComparer.Ordinal))
        {
            var main = deps[..^".deps.json".Length] + ".dll";
            if (File.Exists(main))
            {
                try
                {
                    _resolvers.Add(new AssemblyDependencyResolver(main));
                }
                catch (InvalidOperationException)
                {
                    // A .deps.json the host cannot read: resolve by file name instead.
                }
            }
        }

        foreach (var dll in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            _byName.TryAdd(Path.GetFileNameWithoutExtension(dll), dll);
        }
    }

    private static string? AssemblyNameOf(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Name;
        }
        catch (Exception e) when (e is BadImageFormatException or FileNotFoundException or FileLoadException)
        {
            return null;   // loading it as the job's binary reports why
        }
    }

    private static HashSet<string> ReadFrameworkNames()
    {
        var folders = new[] { typeof(object).Assembly.Location, typeof(HttpContext).Assembly.Location }
            .Select(Path.GetDirectoryName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        return trusted.Where(p => p.Length > 0 && folders.Contains(Path.GetDirectoryName(p) ?? ""))
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
