using System.Text.Json.Nodes;

namespace JobServer.Sdk.Query;

/// <summary>
/// Builds the <c>select</c> projection of a row, as upstream's <c>do_select</c>: <c>"a.b"</c> keeps the nesting
/// (<c>{"a": {"b": …}}</c>), <c>["a.b", "name"]</c> puts the value at the top level under the new name, and a
/// missing key is skipped. The row is not changed; the projection holds copies.
/// </summary>
internal static class RowSelector
{
    public static JsonObject Select(JsonObject row, IReadOnlyList<SelectEntry> entries)
    {
        var result = new JsonObject();
        foreach (var entry in entries)
        {
            if (!TryGet(row, entry.Path, out var value))
            {
                continue;
            }

            if (entry.Rename is { } name)
            {
                result[name] = value?.DeepClone();
                continue;
            }

            var target = result;
            var segments = entry.Path.Segments;
            for (var i = 0; i < segments.Count - 1; i++)
            {
                if (target[segments[i]] is not JsonObject child)
                {
                    child = [];
                    target[segments[i]] = child;
                }

                target = child;
            }

            target[segments[^1]] = value?.DeepClone();
        }

        return result;
    }

    private static bool TryGet(JsonObject row, FieldPath path, out JsonNode? value)
    {
        JsonNode? current = row;
        foreach (var key in path.Segments)
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
                case JsonArray:
                    throw QueryErrors.Option("select", "Selecting by list index is not supported");
                default:
                    // A key into null or a scalar: nothing to select (upstream would select the scalar itself).
                    value = null;
                    return false;
            }
        }

        value = current;
        return true;
    }
}
