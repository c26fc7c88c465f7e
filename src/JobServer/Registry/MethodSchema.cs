using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using JobServer.Sdk;

namespace JobServer.Registry;

/// <summary>
/// JSON Schema (draft 2020-12) of a method's positional parameters and of its result, generated from the C#
/// signature with System.Text.Json's exporter so the schema and the binder share one set of JSON rules.
/// </summary>
internal static class MethodSchema
{
    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
    };

    public static JsonObject Accepts(MethodDescriptor method)
    {
        var items = new JsonArray();
        var required = 0;
        foreach (var parameter in method.WireParameters)
        {
            var schema = SchemaOf(parameter.Type);
            schema["title"] = parameter.Name;
            if (parameter.AcceptsNull)
            {
                AllowNull(schema);
            }

            if (parameter.IsOptional)
            {
                schema["default"] = DefaultOf(parameter);
            }
            else
            {
                required++;
            }

            items.Add(schema);
        }

        return new JsonObject
        {
            ["type"] = "array",
            ["prefixItems"] = items,
            ["items"] = false,
            ["minItems"] = required,
            ["maxItems"] = items.Count,
        };
    }

    public static JsonObject Returns(Type resultType) =>
        resultType == typeof(void) ? new JsonObject { ["type"] = "null" } : SchemaOf(resultType);

    public static JsonObject SchemaOf(Type type)
    {
        var node = WireJson.Options.GetJsonSchemaAsNode(type, ExporterOptions);
        // "true" (any JSON) comes back as a boolean schema; clients expect an object.
        return node as JsonObject ?? [];
    }

    /// <summary>
    /// The exporter sees types, not parameters, so a reference parameter annotated nullable (<c>string?</c>)
    /// gets "null" added to its type here.
    /// </summary>
    private static void AllowNull(JsonObject schema)
    {
        if (schema["type"] is JsonValue single && single.GetValue<string>() != "null")
        {
            schema["type"] = new JsonArray(single.GetValue<string>(), "null");
        }
    }

    private static JsonNode? DefaultOf(MethodParameter parameter) =>
        parameter.DefaultValue is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(
            parameter.DefaultValue, parameter.Type, WireJson.Options);
}
