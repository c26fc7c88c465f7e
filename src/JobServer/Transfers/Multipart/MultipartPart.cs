using Microsoft.Net.Http.Headers;

namespace JobServer.Transfers.Multipart;

/// <summary>One part of a multipart/form-data body: its headers, and its content as a stream read as it arrives.</summary>
internal sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, Stream Body)
{
    /// <summary>The form field name from <c>Content-Disposition: form-data; name="…"</c>; null when there is none.</summary>
    public string? Name =>
        Headers.TryGetValue(HeaderNames.ContentDisposition, out var value) &&
        ContentDispositionHeaderValue.TryParse(value, out var disposition)
            ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
            : null;
}
