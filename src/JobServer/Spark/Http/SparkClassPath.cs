using System.Text.Json.Nodes;
using JobServer.Spark.Binaries;
using JobServer.Spark.Jobs;

namespace JobServer.Spark.Http;

/// <summary>
/// A job's class path (reference §1.2, behaviour 15): the uploaded binaries named by <c>appName</c> and
/// <c>dependent-jar-uris</c>, or by <c>cp=a,b,c</c>, in order, each resolved to its version current at submit.
/// spark-jobserver also takes URIs here; the daemon runs only what was uploaded to it, so a URI is refused.
/// </summary>
internal static class SparkClassPath
{
    /// <summary>The most binaries one job's class path may name (bounds the work done per submit).</summary>
    public const int MaxBinaries = 32;

    /// <summary>spark's labelled 400 for a class path the daemon cannot run, or null.</summary>
    public static IResult? Refusal(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        string? problem = names.Count > MaxBinaries
            ? $"A job's class path names at most {MaxBinaries} binaries"
            : names.FirstOrDefault(n => n.Contains(':', StringComparison.Ordinal) || n.Contains('/', StringComparison.Ordinal)) is { } uri
                ? $"{uri}: a job runs from uploaded binaries (POST /binaries/<name>); URIs are not supported"
                : null;
        return problem is null
            ? null
            : SparkResponses.Exception(StatusCodes.Status400BadRequest, SparkJobFailure.LoadingFailed, new JsonObject
            {
                ["message"] = problem, ["errorClass"] = "spark.jobserver.JobLoadingError", ["stack"] = "",
            });
    }

    /// <summary>Every name's newest version in order, or spark's 404 <c>appName &lt;name&gt; not found</c> for the first unknown.</summary>
    public static async Task<(IReadOnlyList<SparkBinaryInfo>? Binaries, IResult? NotFound)> ResolveAsync(
        SparkBinaryStore store, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(names);
        var found = new List<SparkBinaryInfo>(names.Count);
        foreach (var name in names)
        {
            var binary = SparkName.IsValid(name) ? await store.FindAsync(name, cancellationToken) : null;
            if (binary is null)
            {
                return (null, SparkResponses.Error(StatusCodes.Status404NotFound, $"appName {name} not found"));
            }

            found.Add(binary);
        }

        return (found, null);
    }

    /// <summary><c>spark.run</c>'s <c>dependencies</c> argument: the binaries after the first, as <see cref="SparkDependency"/>s.</summary>
    public static JsonArray Dependencies(IEnumerable<SparkBinaryInfo> binaries) =>
        [.. binaries.Select(b => SparkDependency.ToJson(new SparkDependency(b.Name, b.Path, b.Type.ToString())))];
}
