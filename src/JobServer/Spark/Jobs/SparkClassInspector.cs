using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Whether a stored binary defines a class, read without running it: a .NET assembly's metadata tables, a Python
/// archive's file list. The daemon never runs (or even loads) a caller's code, yet a missing class is refused
/// before its job exists (spark's 404). Whether the class really is a job is the worker's to find.
/// </summary>
internal static class SparkClassInspector
{
    /// <summary>Requires the class in a binary of <paramref name="binaryType"/> (a <see cref="Binaries.SparkBinaryType"/> name).</summary>
    /// <exception cref="Sdk.Errors.CallError">The kind cannot run (yet), or the class is missing.</exception>
    public static void RequireClass(string binaryPath, string binaryType, string className)
    {
        switch (binaryType)
        {
            case nameof(Binaries.SparkBinaryType.Dll):
                RequireClass(binaryPath, className);
                break;
            case nameof(Binaries.SparkBinaryType.Wheel) or nameof(Binaries.SparkBinaryType.Egg):
                RequireModule(binaryPath, className);
                break;
            case nameof(Binaries.SparkBinaryType.Jar):
                RequireEntry(binaryPath, className, [className.Replace('.', '/') + ".class"]);
                break;
            default:
                throw SparkJobFailure.Loading($"{binaryType} binaries cannot run jobs yet (.NET Dll, Python Wheel and Egg, Java Jar can)");
        }
    }

    /// <summary>A Python class <c>a.b.C</c> needs the module <c>a/b.py</c> (or <c>a/b/__init__.py</c>, or compiled).</summary>
    private static void RequireModule(string archivePath, string className)
    {
        var dot = className.LastIndexOf('.');
        if (dot <= 0)
        {
            throw SparkJobFailure.ClassNotFound(className);
        }

        var module = className[..dot].Replace('.', '/');
        RequireEntry(archivePath, className, [module + ".py", module + ".pyc", module + "/__init__.py", module + "/__init__.pyc"]);
    }

    /// <summary>The archive holds one of <paramref name="candidates"/>, else the class is not found.</summary>
    private static void RequireEntry(string archivePath, string className, string[] candidates)
    {
        try
        {
            using var archive = ZipFile.OpenRead(archivePath);
            if (archive.Entries.Any(e => candidates.Contains(e.FullName, StringComparer.Ordinal)))
            {
                return;
            }
        }
        catch (InvalidDataException e)
        {
            throw SparkJobFailure.Loading($"The binary is not a zip archive: {e.Message}");
        }

        throw SparkJobFailure.ClassNotFound(className);
    }

    /// <exception cref="Sdk.Errors.CallError">The binary is not a .NET assembly (<c>JOB LOADING FAILED</c>) or has
    /// no public class by that name (<c>classPath … not found</c>).</exception>
    private static void RequireClass(string binaryPath, string className)
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
