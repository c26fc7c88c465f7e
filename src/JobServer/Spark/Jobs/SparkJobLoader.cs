using System.Reflection;
using JobServer.Registry;
using JobServer.Sdk.Spark;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Makes a .NET Spark job from a stored binary version: loads the file in its own load context (the plugin one,
/// which shares the SDK, so the class implements the very <see cref="ISparkJob"/> the daemon knows) and creates
/// the class with its parameterless constructor. Meant for the job's own worker process: a version loaded there
/// is never unloaded, and a re-upload cannot change a job that already started (it names its file by GUID).
/// </summary>
internal static class SparkJobLoader
{
    public static ISparkJob Load(string binaryPath, string className)
    {
        Assembly assembly;
        try
        {
            assembly = ServiceDiscovery.LoadPlugin(binaryPath);
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
