using System.Reflection;
using JobServer.Sdk.Spark;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Makes a .NET Spark job from its class path (stored binary versions: assemblies and published folders): loads
/// them in one <see cref="SparkJobLoadContext"/>, which shares the SDK, finds the class in class-path order and
/// creates it with its parameterless constructor. Meant for the job's own worker process: a version loaded there
/// is never unloaded, and a re-upload cannot change a job that already started (versions are named by GUID).
/// </summary>
internal static class SparkJobLoader
{
    public static ISparkJob Load(string binaryPath, string className) => Load([binaryPath], className);

    /// <param name="classPath">The job's binaries, its own first: assembly files or published folders.</param>
    public static ISparkJob Load(IReadOnlyList<string> classPath, string className)
    {
        ArgumentNullException.ThrowIfNull(classPath);
        var context = new SparkJobLoadContext(classPath);
        var type = classPath.Select(entry => TypeIn(context, entry, className)).FirstOrDefault(t => t is not null)
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
