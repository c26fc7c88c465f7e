using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Whether a stored binary defines a class, read from its metadata tables without loading it: the daemon never
/// runs (or even loads) a caller's code, yet a missing class is refused before its job exists (spark's 404).
/// Whether the class really is an <c>ISparkJob</c> is the worker's to find when it loads it.
/// </summary>
internal static class SparkClassInspector
{
    /// <exception cref="Sdk.Errors.CallError">The binary is not a .NET assembly (<c>JOB LOADING FAILED</c>) or has
    /// no public class by that name (<c>classPath … not found</c>).</exception>
    public static void RequireClass(string binaryPath, string className)
    {
        try
        {
            using var file = File.OpenRead(binaryPath);
            using var pe = new PEReader(file);
            if (!pe.HasMetadata)
            {
                throw SparkJobFailure.Loading("The binary is not a .NET assembly");
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(handle);
                if (type.GetDeclaringType().IsNil && FullName(metadata, type) == className &&
                    (type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
                {
                    return;
                }
            }
        }
        catch (BadImageFormatException e)
        {
            throw SparkJobFailure.Loading($"The binary is not a .NET assembly: {e.Message}");
        }

        throw SparkJobFailure.ClassNotFound(className);
    }

    private static string FullName(MetadataReader metadata, TypeDefinition type)
    {
        var name = metadata.GetString(type.Name);
        return type.Namespace.IsNil ? name : metadata.GetString(type.Namespace) + "." + name;
    }
}
