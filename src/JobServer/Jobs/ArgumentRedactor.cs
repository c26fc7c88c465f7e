using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JobServer.Registry;
using JobServer.Sdk;

namespace JobServer.Jobs;

/// <summary>
/// The call's arguments as a job shows them: <c>[Secret]</c> parameters replaced by a mask, and so are
/// <c>[Secret]</c> properties of an options object (<c>exec.run</c>'s <c>options.env</c>: its values could be
/// passwords and tokens, and every admin, READONLY_ADMIN included, reads <c>core.get_jobs</c>). A secret object is
/// masked value by value, so the names stay readable (<c>{"TOKEN": "********"}</c>). The job itself gets the real
/// values; only what is shown and stored for display is masked.
/// </summary>
internal static class ArgumentRedactor
{
    public const string Mask = "********";

    /// <summary>Per options type: its properties by JSON name, and whether each is secret.</summary>
    private static readonly ConcurrentDictionary<Type, (string Name, Type Type, bool Secret)[]> Properties = new();

    public static JsonArray Redact(MethodDescriptor method, JsonElement arguments)
    {
        var redacted = new JsonArray();
        if (arguments.ValueKind != JsonValueKind.Array)
        {
            return redacted;
        }

        var index = 0;
        foreach (var argument in arguments.EnumerateArray())
        {
            var parameter = index < method.WireParameters.Count ? method.WireParameters[index] : null;
            if (parameter?.IsSecret == true)
            {
                redacted.Add(JsonValue.Create(Mask));
            }
            else
            {
                var node = JsonNode.Parse(argument.GetRawText());
                if (node is JsonObject options && parameter is not null)
                {
                    MaskSecretProperties(options, parameter.Type);
                }

                redacted.Add(node);
            }

            index++;
        }

        return redacted;
    }

    private static void MaskSecretProperties(JsonObject value, Type type)
    {
        foreach (var (name, propertyType, secret) in PropertiesOf(Nullable.GetUnderlyingType(type) ?? type))
        {
            if (value[name] is not { } property)
            {
                continue;
            }

            if (secret)
            {
                value[name] = property is JsonObject entries ? MaskEach(entries) : JsonValue.Create(Mask);
            }
            else if (property is JsonObject nested)
            {
                MaskSecretProperties(nested, propertyType);
            }
        }
    }

    private static JsonObject MaskEach(JsonObject entries)
    {
        var masked = new JsonObject();
        foreach (var (name, _) in entries)
        {
            masked[name] = Mask;
        }

        return masked;
    }

    private static (string Name, Type Type, bool Secret)[] PropertiesOf(Type type) => Properties.GetOrAdd(type, t =>
        t == typeof(string) || t.IsPrimitive || typeof(JsonNode).IsAssignableFrom(t)
            ? []
            : t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0)
                .Select(p => (
                    p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ??
                    WireJson.Options.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name,
                    p.PropertyType,
                    p.IsDefined(typeof(SecretAttribute), inherit: true)))
                .ToArray());
}
