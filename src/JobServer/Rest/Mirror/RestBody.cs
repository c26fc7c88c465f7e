using System.Text.Json.Nodes;
using JobServer.Protocol.Inbound;
using Microsoft.Net.Http.Headers;

namespace JobServer.Rest.Mirror;

/// <summary>
/// A REST call's JSON body (or an upload's <c>data</c> part): read whole up to a bound, parsed by the same strict
/// parse as the WebSocket dialects (duplicate keys and lone surrogates refused), or refused with a 4xx.
/// </summary>
internal static class RestBody
{
    /// <summary>No body (nothing sent) or the JSON value sent (which may be <c>null</c>).</summary>
    public readonly record struct Value(bool IsPresent, JsonNode? Json);

    /// <summary>
    /// The request's body. A non-empty one must say it is JSON: a browser form cannot, so a page elsewhere cannot
    /// make a signed-in browser change anything here (cross-site request forgery).
    /// </summary>
    public static async Task<Value> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return default;
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var bytes = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken);
        if (bytes.Length == 0)
        {
            return default;
        }

        if (!IsJson(request.ContentType))
        {
            throw new RestRequestException("A request body must be JSON (Content-Type: application/json)",
                StatusCodes.Status415UnsupportedMediaType);
        }

        return Parse(bytes, "The body");
    }

    /// <summary>An upload's <c>data</c> part: the JSON the body of the route would be.</summary>
    public static async Task<Value> ReadPartAsync(Stream part, int maxBytes, CancellationToken cancellationToken)
    {
        var bytes = await ReadBoundedAsync(part, maxBytes, cancellationToken);
        return bytes.Length == 0 ? default : Parse(bytes, "The \"data\" part");
    }

    private static Value Parse(byte[] bytes, string what)
    {
        using var message = InboundJson.Parse(bytes);
        if (message.Document is null)
        {
            throw new RestRequestException($"{what} is not JSON: {message.SyntaxError}");
        }

        if (message.Problem is { } problem)
        {
            throw new RestRequestException($"{what} is refused: {problem.Describe()}");
        }

        return new Value(true, JsonNode.Parse(bytes));
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }

        return buffer.ToArray();
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static RestRequestException TooLarge(int maxBytes) =>
        new($"The body is larger than {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
}
