using System.Collections.Concurrent;
using System.Reflection;
using JobServer.Sdk.Spark;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Makes a .NET Spark job from its class path (stored binary versions: assemblies and published folders): loads
/// them in one <see cref="SparkJobLoadContext"/>, which shares the SDK, finds the class in class-path order and
/// creates it with its parameterless constructor. Meant for the job's worker process: a class path is loaded there
/// once and reused by every later job of it (what makes a warm Spark context fast), never unloaded; a re-upload is
/// another file (versions are named by GUID), so it loads separately and cannot change a job that already started.
/// </summary>
internal static class SparkJobLoader
{
    /// <summary>
    /// The classes found in this process, by class path and name. A failed lookup stays failed: the files of a
    /// version never change.
    /// </summary>
    private static readonly ConcurrentDictionary<(string ClassPath, string ClassName), Lazy<Type>> Found = new();

    /// <summary>One load context per class path, shared by the classes found in it.</summary>
    private static readonly ConcurrentDictionary<string, SparkJobLoadContext> Contexts = new(StringComparer.Ordinal);

    public static ISparkJob Load(string binaryPath, string className) => Load([binaryPath], className);

    /// <param name="classPath">The job's binaries, its own first: assembly files or published folders.</param>
    public static ISparkJob Load(IReadOnlyList<string> classPath, string className)
    {
        ArgumentNullException.ThrowIfNull(classPath);
        var entries = classPath.Select(Path.GetFullPath).ToArray();
        var key = string.Join('\n', entries);
        var type = Found.GetOrAdd((key, className), static (k, entries) => new Lazy<Type>(() =>
        {
            var context = Contexts.GetOrAdd(k.ClassPath, static (_, e) => new SparkJobLoadContext(e), entries);
            return entries.Select(entry => TypeIn(context, entry, k.ClassName)).FirstOrDefault(t => t is not null)
                   ?? throw new SparkJobLoadException($"classPath {k.ClassName} not found", classNotFound: true);
        }), entries).Value;
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

    /// <summary>The class in one class-path entry (a folder: the assembly whose metadata defines it), or null.</summary>
    private static Type? TypeIn(SparkJobLoadContext context, string entry, string className)
    {
        var assemblyPath = Directory.Exists(entry) ? SparkClassInspector.AssemblyDefining(entry, className) : entry;
        if (assemblyPath is null)
        {
            return null;
        }

        try
        {
            return context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath)).GetType(className, throwOnError: false, ignoreCase: false);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new SparkJobLoadException($"The binary is not a .NET assembly: {e.Message}", classNotFound: false, e);
        }
    }
}
