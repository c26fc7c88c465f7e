using System.Text.Json;
using JobServer.Protocol.Inbound;

namespace JobServer.Transfers;

/// <summary>The <c>data</c> part of an upload: <c>{"method": "config.upload", "params": [...]}</c>.</summary>
internal sealed record UploadCall(string Method, JsonElement Parameters)
{
    /// <summary>
    /// What an absent or null <c>params</c> means: no arguments, as on DDP (docs/protocol.md). Issue 12 item 10: an
    /// absent one used to reach the dispatcher as an undefined element and fail with a bodiless 500.
    /// </summary>
    private static readonly JsonElement NoParameters = JsonDocument.Parse("[]").RootElement.Clone();

    public static async Task<(UploadCall? Call, IResult? Error)> ReadAsync(
        Stream part, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await part.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, HttpError.Json(StatusCodes.Status413PayloadTooLarge,
                    $"The \"data\" part is larger than {maxBytes} bytes"));
            }
        }

        return Parse(buffer.ToArray());
    }

    private static (UploadCall? Call, IResult? Error) Parse(byte[] json)
    {
        // The same strict parse as the WebSocket dialects: duplicate keys and lone surrogates are refused here
        // rather than reaching the binder, where they would answer with .NET text.
        using var message = InboundJson.Parse(json);
        if (message.Document is not { } document)
        {
            return Refuse($"The \"data\" part is not JSON: {message.SyntaxError}");
        }

        if (message.Problem is { } problem)
        {
            return Refuse($"The \"data\" part is refused: {problem.Describe()}");
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refuse("The \"data\" part must be a JSON object {\"method\": …, \"params\": […]}");
        }

        if (!root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String ||
            method.GetString() is not { Length: > 0 } name)
        {
            return Refuse("The \"data\" part must name a \"method\" (a string)");
        }

        if (!root.TryGetProperty("params", out var parameters) || parameters.ValueKind == JsonValueKind.Null)
        {
            return (new UploadCall(name, NoParameters), null);
        }

        return parameters.ValueKind == JsonValueKind.Array
            ? (new UploadCall(name, parameters.Clone()), null)
            : Refuse("\"params\" must be a list");
    }

    private static (UploadCall?, IResult?) Refuse(string message) =>
        (null, HttpError.Json(StatusCodes.Status400BadRequest, message));
}
