using System.Reflection;

namespace JobServer.Sdk.Query;

/// <summary>A property of an entity that a filter on its wire name can be translated onto.</summary>
internal sealed record WireProperty(PropertyInfo Property, ScalarKind Kind, Type ValueType)
{
    private static readonly Dictionary<Type, ScalarKind> Kinds = new()
    {
        [typeof(string)] = ScalarKind.String,
        [typeof(sbyte)] = ScalarKind.Integer,
        [typeof(byte)] = ScalarKind.Integer,
        [typeof(short)] = ScalarKind.Integer,
        [typeof(ushort)] = ScalarKind.Integer,
        [typeof(int)] = ScalarKind.Integer,
        [typeof(uint)] = ScalarKind.Integer,
        [typeof(long)] = ScalarKind.Integer,
        [typeof(double)] = ScalarKind.Real,
        [typeof(bool)] = ScalarKind.Boolean,
        [typeof(DateTime)] = ScalarKind.DateTime,
    };

    /// <summary>The property's declared type, such as <c>int?</c>.</summary>
    public Type Type => Property.PropertyType;

    /// <summary>Whether the property can hold null (strings always can at run time).</summary>
    public bool IsNullable => !Type.IsValueType || Nullable.GetUnderlyingType(Type) is not null;

    public static WireProperty? TryCreate(PropertyInfo property)
    {
        var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return Kinds.TryGetValue(valueType, out var kind) ? new WireProperty(property, kind, valueType) : null;
    }
}
