using JobServer.Configuration;
using JobServer.Sdk;
using JobServer.Sdk.Errors;
using Microsoft.Extensions.Options;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Refuses a <c>spark.run</c> bound to fail before its job exists: a file outside the binaries folder (the path
/// never escapes it, whoever calls), a context that does not exist (spark's 404), a binary that is no .NET assembly
/// or lacks the class (read from its metadata, never loaded in the daemon).
/// </summary>
internal sealed class SparkRunValidator(IOptions<JobServerOptions> options, Contexts.SparkContexts contexts) : ICallValidator
{
    public void Validate(ICallContext caller, IReadOnlyList<object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var className = arguments[1] as string ?? "";
        if (arguments[3] is string { } context && contexts.Find(context) is null)
        {
            throw new CallError($"context {context} not found", Errno.ENOENT);
        }

        var folder = options.Value.DataPath("spark", "binaries") + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(arguments[4] as string ?? "");
        if (!path.StartsWith(folder, StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new ValidationException("binary_path", "Not a stored binary version");
        }

        SparkClassInspector.RequireClass(path, arguments[5] as string ?? "", className);
    }
}
