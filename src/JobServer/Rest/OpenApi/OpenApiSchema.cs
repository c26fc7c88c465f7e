using System.Text.Json.Nodes;

namespace JobServer.Rest.OpenApi;

/// <summary>
/// A registry schema (JSON Schema 2020-12) as it goes into the document: a copy in which the boolean schemas the
/// exporter writes for "any JSON" (<c>true</c>) and "nothing" (<c>false</c>) are spelled as objects (<c>{}</c>,
/// <c>{"not": {}}</c>) — the same meaning, which OpenAPI 3.1 allows both ways, but readers such as
/// Microsoft.OpenApi's take only objects. <c>additionalProperties: false</c> stays as it is (every reader takes it).
/// </summary>
internal static class OpenApiSchema
{
    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "$defs"];
    private static readonly string[] SchemaValues = ["items", "additionalProperties", "not", "contains", "if", "then", "else"];
    private static readonly string[] SchemaLists = ["anyOf", "oneOf", "allOf", "prefixItems"];

    public static JsonObject Copy(JsonNode? schema) => Normalize(schema?.DeepClone(), keepFalse: false).AsObject();

    private static JsonNode Normalize(JsonNode? schema, bool keepFalse)
    {
        switch (schema)
        {
            case JsonValue value when value.TryGetValue<bool>(out var boolean):
                return boolean ? new JsonObject() : keepFalse ? false : new JsonObject { ["not"] = new JsonObject() };
            case JsonObject node:
                foreach (var key in SchemaMaps)
                {
                    if (node[key] is JsonObject map)
                    {
                        foreach (var name in map.Select(p => p.Key).ToArray())
                        {
                            map[name] = Normalize(map[name], keepFalse: false);
                        }
                    }
                }

                foreach (var key in SchemaValues.Where(node.ContainsKey))
                {
                    node[key] = Normalize(node[key], keepFalse: key == "additionalProperties");
                }

                foreach (var key in SchemaLists)
                {
                    if (node[key] is JsonArray list)
                    {
                        for (var i = 0; i < list.Count; i++)
                        {
                            list[i] = Normalize(list[i], keepFalse: false);
                        }
                    }
                }

                return node;
            default:
                return new JsonObject();
        }
    }
}
