using System.Text.RegularExpressions;

namespace JobServer.Spark;

/// <summary>
/// The rule for binary and context names: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, starting with a letter
/// or digit. Names only ever reach the database, never a path, but a bounded alphabet keeps URLs, logs and
/// listings unambiguous.
/// </summary>
internal static partial class SparkName
{
    public const int MaxLength = 128;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
