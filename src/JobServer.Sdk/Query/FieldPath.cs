using System.Text;
using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// A dotted field path such as <c>a.b.0</c>, <c>tags.*.name</c> or <c>a\.b</c> (a backslash before a dot makes
/// the dot part of the key), split as upstream's <c>partition</c> splits it.
/// </summary>
internal sealed class FieldPath
{
    public const string Wildcard = "*";

    private FieldPath(string text, IReadOnlyList<string> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The path as the client wrote it.</summary>
    public string Text { get; }

    /// <summary>The keys, unescaped; empty for the empty path, which names the value itself.</summary>
    public IReadOnlyList<string> Segments { get; }

    public static FieldPath Parse(string text)
    {
        if (text.Length == 0)
        {
            return new FieldPath(text, []);
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (c != '.')
            {
                current.Append(c);
            }
            else if (current.Length > 0 && current[^1] == '\\')
            {
                current[^1] = '.';
            }
            else
            {
                segments.Add(current.ToString());
                current.Clear();
            }
        }

        segments.Add(current.ToString());
        return new FieldPath(text, segments);
    }

    /// <summary>
    /// Follows the path to one value, for ordering: false when a key is missing. A wildcard or a non-numeric key
    /// into a list counts as missing here; an index past the end is null, as upstream.
    /// </summary>
    public bool TryResolve(JsonNode? root, out JsonNode? value)
    {
        var current = root;
        foreach (var key in Segments)
        {
            switch (current)
            {
                case JsonObject obj:
                    if (!obj.TryGetPropertyValue(key, out current))
                    {
                        value = null;
                        return false;
                    }

                    break;
                case JsonArray array when IsIndex(key):
                    current = ElementAt(array, key);
                    break;
                case null:
                    // Upstream walks on through None and yields None.
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>True for a key made of ASCII digits, which indexes a list.</summary>
    public static bool IsIndex(string key) => key.Length > 0 && key.All(char.IsAsciiDigit);

    /// <summary>The element at a numeric key; null past the end, as upstream.</summary>
    public static JsonNode? ElementAt(JsonArray array, string key) =>
        int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var index) && index < array.Count
            ? array[index]
            : null;
}
