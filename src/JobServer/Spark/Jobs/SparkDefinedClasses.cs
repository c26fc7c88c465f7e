using System.Collections.Concurrent;

namespace JobServer.Spark.Jobs;

/// <summary>
/// <see cref="SparkClassInspector.Defines"/>, remembered per stored version: a version's file (or published folder)
/// is named by GUID and never rewritten, so whether it defines a class is asked of its metadata once, not at every
/// submit (about 4 % of the daemon's CPU in scenario 12). A binary that is not what its kind says throws each time
/// (not remembered: it is an error path). At most <see cref="MaxEntries"/> answers are kept, so callers naming
/// ever new classes cannot grow it without bound.
/// </summary>
internal sealed class SparkDefinedClasses
{
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<(string Path, string Type, string ClassName), bool> _answers = new();

    /// <inheritdoc cref="SparkClassInspector.Defines"/>
    public bool Defines(string binaryPath, string binaryType, string className)
    {
        var key = (binaryPath, binaryType, className);
        if (_answers.TryGetValue(key, out var defines))
        {
            return defines;
        }

        defines = SparkClassInspector.Defines(binaryPath, binaryType, className);
        if (_answers.Count >= MaxEntries)
        {
            _answers.Clear();
        }

        _answers[key] = defines;
        return defines;
    }
}
