using System.Runtime.InteropServices;
using System.Text.Json;

namespace JobServer.Protocol.JsonRpc;

/// <summary>
/// One request read from a message, or why it is invalid (reference §2.1 <c>validate_message</c>).
/// </summary>
/// <param name="Id">The raw JSON of <c>id</c>, echoed byte for byte (any integer, however large); null for a
/// notification, which is never answered.</param>
/// <param name="Parameters">Owned by the request (cloned), or undefined when <c>params</c> is absent.</param>
/// <param name="Problem">The -32600 message when the request is invalid.</param>
internal readonly record struct JsonRpcRequest(byte[]? Id, string Method, JsonElement Parameters, string? Problem)
{
    public static readonly byte[] NullId = "null"u8.ToArray();

    public bool IsNotification => Id is null;

    public static JsonRpcRequest Read(JsonElement root)
    {
        // An id of a type middlewared refuses is answered with a null id: the client cannot match it anyway.
        byte[]? id = null;
        var idIsValid = true;
        if (root.TryGetProperty("id", out var idProperty))
        {
            idIsValid = IsValidId(idProperty);
            id = idIsValid ? JsonMarshal.GetRawUtf8Value(idProperty).ToArray() : NullId;
        }

        if (!root.TryGetProperty("jsonrpc", out var version))
        {
            return Invalid(id, "Missing 'jsonrpc' member");
        }

        if (version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return Invalid(id, "'jsonrpc' member must be of type string and must be exactly '2.0'");
        }

        if (!idIsValid)
        {
            return Invalid(id, "'id' member must be of type string, integer or null");
        }

        if (!root.TryGetProperty("method", out var methodProperty) ||
            methodProperty.ValueKind != JsonValueKind.String || methodProperty.GetString() is not { Length: > 0 } method)
        {
            return Invalid(id, "Missing 'method' member");
        }

        if (!root.TryGetProperty("params", out var parameters))
        {
            return new JsonRpcRequest(id, method, default, null);
        }

        return parameters.ValueKind == JsonValueKind.Array
            ? new JsonRpcRequest(id, method, parameters.Clone(), null)
            : Invalid(id, "'params' member must be of type array");
    }

    private static JsonRpcRequest Invalid(byte[]? id, string problem) => new(id, "", default, problem);

    /// <summary>
    /// middlewared accepts null, strings and integers (Python ints, so of any size); a fraction or exponent makes
    /// a number a float, which it refuses.
    /// </summary>
    private static bool IsValidId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Null => true,
        JsonValueKind.Number => JsonMarshal.GetRawUtf8Value(id).IndexOfAny(".eE"u8) < 0,
        _ => false,
    };
}
