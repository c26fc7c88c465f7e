using System.Text.Json.Nodes;

namespace JobServer.Rest.OpenApi;

/// <summary>An example value for a JSON Schema: its default, else a placeholder of its type.</summary>
internal static class SchemaExample
{
    /// <summary>Example positional parameters: every required one and none of the optional ones.</summary>
    public static JsonArray Parameters(JsonObject accepts)
    {
        var items = accepts["prefixItems"] as JsonArray ?? [];
        var required = accepts["minItems"]?.GetValue<int>() ?? 0;
        return new JsonArray(items.Take(required).Select(item => Of(item as JsonObject)).ToArray());
    }

    public static JsonNode? Of(JsonObject? schema, int depth = 0)
    {
        if (schema is null || depth > 4)
        {
            return null;
        }

        if (schema.TryGetPropertyValue("default", out var value))
        {
            return value?.DeepClone();
        }

        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue single => single.GetValue<string>(),
            _ => null,
        };
        return type switch
        {
            "string" => schema["enum"] is JsonArray { Count: > 0 } choices ? choices[0]?.DeepClone() : "string",
            "integer" => 0,
            "number" => 0,
            "boolean" => false,
            "array" => new JsonArray(),
            "object" => Object(schema, depth),
            _ => null,
        };
    }

    private static JsonObject Object(JsonObject schema, int depth)
    {
        var example = new JsonObject();
        var required = (schema["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (required.Contains(name))
            {
                example[name] = Of(property as JsonObject, depth + 1);
            }
        }

        return example;
    }
}
