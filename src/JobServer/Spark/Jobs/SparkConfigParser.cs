using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobServer.Spark.Jobs;

/// <summary>
/// Reads a <c>POST /jobs</c> body: JSON, or the HOCON subset spark-jobserver's users post — one
/// <c>path = value</c> (or <c>path : value</c>) per line, dotted paths nesting objects, <c>#</c> and <c>//</c>
/// comments, values quoted, unquoted to the end of the line, numbers, booleans, null, or a one-line JSON array or
/// object; and <c>key { … }</c> blocks, over several lines or on one (entries separated by commas), as spark's
/// <c>spark.context-settings { … }</c> bodies are written. nuget.tsv serves no HOCON library, so this is the small subset with its own tests; anything outside it
/// is a <see cref="FormatException"/> (spark's 400 <c>Cannot parse config: …</c>). Later keys win, objects merge.
/// </summary>
internal static class SparkConfigParser
{
    /// <summary>The deepest path a body may nest (bounded so a hostile body cannot exhaust the stack).</summary>
    private const int MaxDepth = 32;

    /// <summary>A duplicate key is refused as it is parsed (a JsonObject would only throw when first read).</summary>
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    public static JsonObject Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = body.Trim();
        if (text.StartsWith('{'))
        {
            return ParseJson(text);
        }

        var root = new JsonObject();
        var blocks = new Stack<string>(); // The paths of the open "key {" blocks, innermost on top.
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            var prefix = blocks.Count == 0 ? "" : blocks.Peek() + ".";
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            if (line is "}" or "},")
            {
                if (!blocks.TryPop(out _))
                {
                    throw new FormatException($"line {lineNumber}: '}}' without its '{{'");
                }

                continue;
            }

            var separator = line.IndexOfAny(['=', ':']);
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (line.EndsWith('{') && (separator < 0 || line[(separator + 1)..].Trim() == "{"))
            {
                // "key {" or "key = {": a block over the next lines, up to its "}".
                var key = line[..(separator < 0 ? brace : separator)].Trim().Trim('"');
                if (key.Length == 0 || blocks.Count >= MaxDepth)
                {
                    throw new FormatException($"line {lineNumber}: a block without a key, or nested too deep");
                }

                blocks.Push(prefix + key);
                continue;
            }

            if (brace > 0 && (separator < 0 || brace < separator) && line.EndsWith('}'))
            {
                // "key { a = 1, b = 2 }": a block on one line; its entries are separated by commas.
                var key = prefix + line[..brace].Trim().Trim('"');
                foreach (var entry in line[(brace + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    SetEntry(root, key + ".", entry, lineNumber);
                }

                continue;
            }

            SetEntry(root, prefix, line, lineNumber);
        }

        return blocks.Count == 0 ? root : throw new FormatException($"'{blocks.Peek()} {{' is never closed");
    }

    /// <summary>One <c>path = value</c> (or <c>path : value</c>) under <paramref name="prefix"/>.</summary>
    private static void SetEntry(JsonObject root, string prefix, string entry, int lineNumber)
    {
        var separator = entry.IndexOfAny(['=', ':']);
        if (separator <= 0)
        {
            throw new FormatException($"line {lineNumber}: expected 'key = value'");
        }

        var path = prefix + entry[..separator].Trim().Trim('"');
        Set(root, path, ParseValue(entry[(separator + 1)..].Trim(), lineNumber), lineNumber);
    }

    /// <summary>Posted keys over the server's (Typesafe's <c>withFallback</c>): objects merge, other values replace.</summary>
    public static JsonObject Merge(JsonObject posted, JsonObject fallback)
    {
        ArgumentNullException.ThrowIfNull(posted);
        ArgumentNullException.ThrowIfNull(fallback);
        var merged = (JsonObject)fallback.DeepClone();
        foreach (var (key, value) in posted)
        {
            merged[key] = value is JsonObject postedObject && merged[key] is JsonObject fallbackObject
                ? Merge(postedObject, fallbackObject)
                : value?.DeepClone();
        }

        return merged;
    }

    private static JsonObject ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: JsonOptions) as JsonObject
                   ?? throw new FormatException("the config must be an object");
        }
        catch (JsonException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static JsonNode? ParseValue(string value, int lineNumber)
    {
        if (value.Length == 0)
        {
            throw new FormatException($"line {lineNumber}: a key without a value");
        }

        if (value[0] is '"' or '[' or '{')
        {
            try
            {
                return JsonNode.Parse(value, documentOptions: JsonOptions);
            }
            catch (JsonException e)
            {
                throw new FormatException($"line {lineNumber}: {e.Message}", e);
            }
        }

        return value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" => null,
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(value),
        };
    }

    private static void Set(JsonObject root, string path, JsonNode? value, int lineNumber)
    {
        var segments = path.Split('.');
        if (segments.Length > MaxDepth || segments.Any(s => s.Trim().Length == 0))
        {
            throw new FormatException($"line {lineNumber}: bad path '{path}'");
        }

        var target = root;
        foreach (var segment in segments[..^1])
        {
            var key = segment.Trim();
            if (target[key] is not JsonObject next)
            {
                next = new JsonObject();
                target[key] = next;
            }

            target = next;
        }

        var last = segments[^1].Trim();
        target[last] = value is JsonObject obj && target[last] is JsonObject existing ? Merge(obj, existing) : value;
    }
}
