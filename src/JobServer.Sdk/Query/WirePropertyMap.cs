using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace JobServer.Sdk.Query;

/// <summary>
/// The translatable properties of an entity type by wire name. Names come from the serialization contract of
/// <see cref="WireJson.Options"/> (its snake_case naming policy and any <c>[JsonPropertyName]</c>), so a filter
/// names the same field in SQL as in the serialized row; ignored or custom-converted properties are left out.
/// </summary>
internal static class WirePropertyMap
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, WireProperty>> Cache = new();

    public static IReadOnlyDictionary<string, WireProperty> For(Type type) => Cache.GetOrAdd(type, Build);

    private static Dictionary<string, WireProperty> Build(Type type)
    {
        var map = new Dictionary<string, WireProperty>(StringComparer.Ordinal);
        var contract = WireJson.Options.GetTypeInfo(type);
        if (contract.Kind != JsonTypeInfoKind.Object)
        {
            return map;
        }

        foreach (var property in contract.Properties)
        {
            if (property.AttributeProvider is not PropertyInfo info || property.Get is null
                || property.CustomConverter is not null || property.ShouldSerialize is not null
                || property.IsExtensionData || info.GetMethod is not { IsPublic: true })
            {
                continue;
            }

            if (WireProperty.TryCreate(info) is { } wire)
            {
                map[property.Name] = wire;
            }
        }

        return map;
    }
}
