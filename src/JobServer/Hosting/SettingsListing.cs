using System.Collections;
using System.Globalization;
using System.Reflection;
using JobServer.Configuration;

namespace JobServer.Hosting;

/// <summary>
/// Every setting the daemon binds, with its default, read from the options classes themselves (so the list in
/// <c>--help</c> cannot fall behind them): one line per key, <c>JobServer:Jobs:MaxRunning = 0</c>.
/// </summary>
internal static class SettingsListing
{
    /// <summary>
    /// Every options class of the daemon: the ones that declare their configuration section as
    /// <c>public const string Section</c>, found by reflection, so a capability added later is listed without
    /// anyone remembering to add it here. <c>JobServer</c> itself first, then by section.
    /// </summary>
    private static readonly (string Section, Type Options)[] Sections = [.. typeof(SettingsListing).Assembly.GetTypes()
        .Select(type => (Field: type.GetField("Section", BindingFlags.Public | BindingFlags.Static), Type: type))
        .Where(t => t.Field is { IsLiteral: true } && t.Field.FieldType == typeof(string))
        .Select(t => (Section: (string)t.Field!.GetRawConstantValue()!, Options: t.Type))
        .OrderBy(t => t.Section == JobServerOptions.Section ? 0 : 1).ThenBy(t => t.Section, StringComparer.Ordinal)];

    public static IEnumerable<string> Lines()
    {
        foreach (var (section, type) in Sections)
        {
            var defaults = Activator.CreateInstance(type, nonPublic: true);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(p => p.GetIndexParameters().Length == 0 && IsSetting(p)))
            {
                yield return $"{section}:{property.Name} = {Describe(property.GetValue(defaults))}";
            }
        }
    }

    /// <summary>What the binder fills: writable scalars, and collections it adds to.</summary>
    private static bool IsSetting(PropertyInfo property) =>
        (property.CanWrite && property.SetMethod!.IsPublic) ||
        (typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.PropertyType != typeof(string));

    private static string Describe(object? value) => value switch
    {
        null => "(none)",
        string text => text.Length == 0 ? "(empty)" : text,
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => $"[{string.Join(", ", items.Cast<object?>())}]",
        _ => value.ToString() ?? "",
    };
}
