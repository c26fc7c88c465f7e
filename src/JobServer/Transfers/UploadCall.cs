using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace JobServer.Transfers;

/// <summary>The <c>data</c> part of an upload: <c>{"method": "config.upload", "params": [...]}</c>.</summary>
internal sealed record UploadCall(string Method, JsonElement Parameters)
{
    public static async Task<(UploadCall? Call, IResult? Error)> ReadAsync(
        MultipartSection part, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await part.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, HttpError.Json(StatusCodes.Status413PayloadTooLarge,
                    $"The \"data\" part is larger than {maxBytes} bytes"));
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            return (null, HttpError.Json(StatusCodes.Status400BadRequest, $"The \"data\" part is not JSON: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) ||
                method.ValueKind != JsonValueKind.String)
            {
                return (null, HttpError.Json(StatusCodes.Status422UnprocessableEntity,
                    "The \"data\" part must name a \"method\""));
            }

            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            if (parameters.ValueKind is not (JsonValueKind.Array or JsonValueKind.Undefined or JsonValueKind.Null))
            {
                return (null, HttpError.Json(StatusCodes.Status400BadRequest, "\"params\" must be a list"));
            }

            return (new UploadCall(method.GetString()!, parameters), null);
        }
    }
}
