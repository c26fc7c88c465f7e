using System.Collections.Concurrent;
using System.Reflection;
using JobServer.Registry;
using JobServer.Sdk.Spark;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Makes a .NET Spark job from a stored binary version: loads the file in its own load context (the plugin one,
/// which shares the SDK, so the class implements the very <see cref="ISparkJob"/> the daemon knows) and creates
/// the class with its parameterless constructor. Meant for the job's worker process: a version is loaded there
/// once and reused by every later job of it (what makes a warm Spark context fast), never unloaded; a re-upload is
/// another file (versions are named by GUID), so it loads separately and cannot change a job that already started.
/// </summary>
internal static class SparkJobLoader
{
    /// <summary>The versions loaded in this process, by file (a failed load stays failed: the file never changes).</summary>
    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Loaded = new(StringComparer.Ordinal);

    public static ISparkJob Load(string binaryPath, string className)
    {
        Assembly assembly;
        try
        {
            assembly = Loaded.GetOrAdd(Path.GetFullPath(binaryPath),
                static path => new Lazy<Assembly>(() => ServiceDiscovery.LoadPlugin(path))).Value;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new SparkJobLoadException($"The binary is not a .NET assembly: {e.Message}", classNotFound: false, e);
        }

        var type = assembly.GetType(className, throwOnError: false, ignoreCase: false)
                   ?? throw new SparkJobLoadException($"classPath {className} not found", classNotFound: true);
        if (!typeof(ISparkJob).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new SparkJobLoadException($"{className} does not implement {nameof(ISparkJob)}", classNotFound: false);
        }

        if (type.GetConstructor(Type.EmptyTypes) is not { } constructor)
        {
            throw new SparkJobLoadException($"{className} has no parameterless constructor", classNotFound: false);
        }

        try
        {
            return (ISparkJob)constructor.Invoke(null);
        }
        catch (TargetInvocationException e)
        {
            throw new SparkJobLoadException($"{className}'s constructor failed: {e.InnerException?.Message}", classNotFound: false, e);
        }
    }
}
