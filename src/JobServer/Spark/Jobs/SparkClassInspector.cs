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
    /// <summary>Whether a binary of <paramref name="binaryType"/> defines the class.</summary>
    /// <exception cref="Sdk.Errors.CallError">The kind cannot run, or the binary is not what its kind says.</exception>
    public static bool Defines(string binaryPath, string binaryType, string className) => binaryType switch
    {
        nameof(Binaries.SparkBinaryType.Dll) => DefinesType(binaryPath, className),
        nameof(Binaries.SparkBinaryType.Zip) => AssemblyDefining(binaryPath, className) is not null,
        nameof(Binaries.SparkBinaryType.Wheel) or nameof(Binaries.SparkBinaryType.Egg) => HasModule(binaryPath, className),
        nameof(Binaries.SparkBinaryType.Jar) => HasEntry(binaryPath, [className.Replace('.', '/') + ".class"]),
        _ => throw SparkJobFailure.Loading($"{binaryType} binaries cannot run jobs (.NET Dll and Zip, Python Wheel and Egg, Java Jar can)"),
    };

    /// <summary>
    /// The assembly of a published folder (its top level, where <c>dotnet publish</c> puts them) that defines the
    /// class, or null. Files that are no .NET assembly (native libraries named <c>.dll</c>) are passed over.
    /// </summary>
    public static string? AssemblyDefining(string folder, string className)
    {
        foreach (var dll in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            try
            {
                if (DefinesType(dll, className))
                {
                    return dll;
                }
            }
            catch (Sdk.Errors.CallError)
            {
                // Not a .NET assembly: a folder may hold native code too.
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="path"/> is a .NET assembly (has metadata), read without loading it.</summary>
    public static bool IsAssembly(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using var pe = new PEReader(file);
            return pe.HasMetadata && pe.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>A Python class <c>a.b.C</c> needs the module <c>a/b.py</c> (or <c>a/b/__init__.py</c>, or compiled).</summary>
    private static bool HasModule(string archivePath, string className)
    {
        var dot = className.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        var module = className[..dot].Replace('.', '/');
        return HasEntry(archivePath, [module + ".py", module + ".pyc", module + "/__init__.py", module + "/__init__.pyc"]);
    }

    /// <summary>Whether the archive holds one of <paramref name="candidates"/>.</summary>
    private static bool HasEntry(string archivePath, string[] candidates)
    {
        try
        {
            using var archive = ZipFile.OpenRead(archivePath);
            return archive.Entries.Any(e => candidates.Contains(e.FullName, StringComparer.Ordinal));
        }
        catch (InvalidDataException e)
        {
            throw SparkJobFailure.Loading($"The binary is not a zip archive: {e.Message}");
        }
    }

    /// <summary>Whether the assembly has a public top-level class by that name.</summary>
    /// <exception cref="Sdk.Errors.CallError">The binary is not a .NET assembly (<c>JOB LOADING FAILED</c>).</exception>
    private static bool DefinesType(string binaryPath, string className)
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
                    return true;
                }
            }

            return false;
        }
        catch (BadImageFormatException e)
        {
            throw SparkJobFailure.Loading($"The binary is not a .NET assembly: {e.Message}");
        }
    }

    private static string FullName(MetadataReader metadata, TypeDefinition type)
    {
        var name = metadata.GetString(type.Name);
        return type.Namespace.IsNil ? name : metadata.GetString(type.Namespace) + "." + name;
    }
}
