using System.Text.Json.Nodes;
using JobServer.Configuration;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Refuses a <c>spark.run</c> bound to fail before its job exists: a file outside the binaries folder (the path
/// never escapes it, whoever calls), a context that does not exist (spark's 404), a class path mixing runtimes, or
/// binaries none of which defines the class (read from their metadata, never loaded in the daemon).
/// </summary>
internal sealed class SparkRunValidator(IOptions<JobServerOptions> options, Contexts.SparkContexts contexts) : ICallValidator
{
    private readonly SparkDefinedClasses _defined = new();

    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var className = arguments[1] as string ?? "";
        if (arguments[3] is string { } context && contexts.Find(context) is null)
        {
            throw new CallError($"context {context} not found", Errno.ENOENT);
        }

        var type = arguments[5] as string ?? "";
        var classPath = new List<(string Path, string Type)> { (StoredPath(arguments[4] as string, type), type) };
        foreach (var dependency in SparkDependency.ListOf(arguments.Count > 6 ? arguments[6] as JsonArray : null))
        {
            if (SparkDependency.RuntimeOf(dependency.Type) != SparkDependency.RuntimeOf(type))
            {
                throw SparkJobFailure.Loading(
                    $"{dependency.Name} ({dependency.Type}) cannot be on the class path of a {SparkDependency.RuntimeOf(type)} job");
            }

            classPath.Add((StoredPath(dependency.Path, dependency.Type), dependency.Type));
        }

        if (!classPath.Any(binary => _defined.Defines(binary.Path, binary.Type, className)))
        {
            throw SparkJobFailure.ClassNotFound(className);
        }
    }

    /// <summary>The full path of a stored version (a file, or a published folder for <c>Zip</c>) inside the binaries folder.</summary>
    private string StoredPath(string? path, string type)
    {
        var folder = options.Value.DataPath("spark", "binaries") + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path ?? "");
        var exists = type == nameof(Binaries.SparkBinaryType.Zip) ? Directory.Exists(full) : File.Exists(full);
        return full.StartsWith(folder, StringComparison.Ordinal) && exists
            ? full
            : throw new ValidationException("binary_path", "Not a stored binary version");
    }
}
