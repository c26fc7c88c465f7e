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

    /// <summary>A context's name: spark's rule (it must start with a letter, <c>contextName.head.isLetter</c>) and ours.</summary>
    public static bool IsContextName(string name, out string problem)
    {
        problem = name switch
        {
            _ when name.Length == 0 || !char.IsAsciiLetter(name[0]) => "context name must start with letters",
            _ when !IsValid(name) => $"context name may hold only letters, digits, '.', '_' and '-' (at most {MaxLength})",
            _ => "",
        };
        return problem.Length == 0;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
