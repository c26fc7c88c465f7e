using System.Text.Json;
using JobServer.Sdk;
using JobServer.Sdk.Errors;

namespace JobServer.Registry;

/// <summary>
/// Binds a call's positional JSON <c>params</c> to a method's C# parameters. Every problem is collected and
/// reported at once as a validation error naming the argument (errno 11 EAGAIN, type VALIDATION).
/// </summary>
internal static class ArgumentBinder
{
    /// <summary>Binds the wire parameters; context parameters are left null for the caller to fill.</summary>
    public static object?[] Bind(MethodDescriptor method, JsonElement parameters)
    {
        var wire = method.WireParameters;
        var given = parameters.ValueKind == JsonValueKind.Array ? parameters.GetArrayLength() : 0;
        if (given > wire.Count)
        {
            throw new ArgumentValidationException(
                "", $"Too many arguments (expected {wire.Count}, found {given})", Errno.EINVAL);
        }

        var arguments = new object?[method.Parameters.Count];
        var errors = new List<ValidationError>();
        var position = 0;
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            var parameter = method.Parameters[i];
            if (parameter.Kind != ParameterKind.Wire)
            {
                continue;
            }

            var attribute = $"{AttributePrefix(method)}.{parameter.Name}";
            if (position < given)
            {
                arguments[i] = BindOne(parameter, parameters[position], attribute, errors);
            }
            else if (parameter.IsOptional)
            {
                arguments[i] = parameter.DefaultValue is DBNull ? null : parameter.DefaultValue;
            }
            else
            {
                errors.Add(new ValidationError(attribute, "Field required"));
            }

            position++;
        }

        if (errors.Count > 0)
        {
            throw new ArgumentValidationException(errors);
        }

        return arguments;
    }

    /// <summary>The attribute prefix upstream uses: the method name with dots as underscores (<c>user_create</c>).</summary>
    public static string AttributePrefix(MethodDescriptor method) => method.Name.Replace('.', '_');

    private static object? BindOne(MethodParameter parameter, JsonElement value, string attribute,
        List<ValidationError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!parameter.AcceptsNull)
            {
                errors.Add(new ValidationError(attribute, $"Expected {Describe(parameter.Type)}, got null"));
            }

            return null;
        }

        try
        {
            return value.Deserialize(parameter.Type, WireJson.Options);
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.TrimStart('$');
            errors.Add(new ValidationError(attribute + path, Explain(parameter.Type, value, e)));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or FormatException)
        {
            errors.Add(new ValidationError(attribute, e.Message));
            return null;
        }
    }

    private static string Explain(Type type, JsonElement value, JsonException error)
    {
        // A mismatch at the top level is best told as "expected X, got Y"; nested ones keep the serializer's text.
        if (string.IsNullOrEmpty(error.Path) || error.Path == "$")
        {
            return $"Expected {Describe(type)}, got {Describe(value.ValueKind)}";
        }

        return error.Message;
    }

    internal static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "a boolean",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) ||
                   type == typeof(uint) || type == typeof(ulong) => "an integer",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type.IsArray || (type != typeof(string) &&
                                     type.GetInterfaces().Any(i => i.IsGenericType &&
                                         i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) &&
                                     !IsDictionary(type)) => "a list",
            _ => "an object",
        };
    }

    private static bool IsDictionary(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) ||
        type == typeof(System.Text.Json.Nodes.JsonObject);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
