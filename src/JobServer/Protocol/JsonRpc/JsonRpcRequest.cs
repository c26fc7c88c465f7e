using System.Runtime.InteropServices;
using System.Text.Json;
using JobServer.Calls;

namespace JobServer.Protocol.JsonRpc;

/// <summary>
/// One request read from a message, or why it is invalid (reference §2.1 <c>validate_message</c>).
/// </summary>
/// <param name="Id">The raw JSON of <c>id</c>, echoed byte for byte (any integer, however large); null for a
/// notification, which is never answered.</param>
/// <param name="Parameters">Owned by the request (cloned), or undefined when <c>params</c> is absent.</param>
/// <param name="Problem">The -32600 message when the request is invalid.</param>
/// <param name="ParametersProblem">Why the inbound parse refused the params (the call fails validation).</param>
internal readonly record struct JsonRpcRequest(
    byte[]? Id, string Method, JsonElement Parameters, string? Problem, InboundProblem? ParametersProblem = null)
{
    public static readonly byte[] NullId = "null"u8.ToArray();

    public bool IsNotification => Id is null;

    /// <summary>
    /// An envelope the inbound parse refused: -32600 with its id when that id is sound and valid, else with a
    /// null id; a notification (no id at all) is dropped like any invalid one. When the root's keys cannot
    /// be read, neither can the id: the answer goes with a null id.
    /// </summary>
    public static JsonRpcRequest Refused(JsonElement root, bool keysAreReadable, bool idIsSound, string problem)
    {
        if (!keysAreReadable)
        {
            return Invalid(NullId, problem);
        }

        if (!root.TryGetProperty("id", out var idProperty))
        {
            return Invalid(null, problem);
        }

        var id = idIsSound && IsValidId(idProperty) ? JsonMarshal.GetRawUtf8Value(idProperty).ToArray() : NullId;
        return Invalid(id, problem);
    }

    /// <param name="parametersProblem">Carried to the call, which then fails validation.</param>
    public static JsonRpcRequest Read(JsonElement root, InboundProblem? parametersProblem = null)
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

        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return Invalid(id, "'params' member must be of type array");
        }

        // Refused params are never bound, so they need no copy.
        return parametersProblem is null
            ? new JsonRpcRequest(id, method, parameters.Clone(), null)
            : new JsonRpcRequest(id, method, default, null, parametersProblem);
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
