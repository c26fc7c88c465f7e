using System.Globalization;
using System.Text;

namespace JobServer.Transfers;

/// <summary>
/// The <c>Content-Disposition</c> of a download: <c>attachment; filename="…"</c>, always quoted (RFC 6266), and
/// for a name that is not plain ASCII also <c>filename*=UTF-8''…</c> (RFC 5987), which clients that know it prefer.
/// </summary>
/// <remarks>
/// Issue 12 item 20: the header used to carry <c>filename=</c> unquoted whenever the name needed no quotes, which
/// the docs never promised and some clients split at the first space or semicolon.
/// </remarks>
internal static class AttachmentDisposition
{
    public static string For(string fileName)
    {
        var name = SafeFileName(fileName);
        var header = new StringBuilder("attachment; filename=\"");
        foreach (var c in AsciiFallback(name))
        {
            if (c is '"' or '\\')
            {
                header.Append('\\');
            }

            header.Append(c);
        }

        header.Append('"');
        if (!name.All(IsPrintableAscii))
        {
            header.Append("; filename*=UTF-8''").Append(Rfc5987Encode(name));
        }

        return header.ToString();
    }

    /// <summary>A file name fit for a header: no path, no control characters; "download" when nothing is left.</summary>
    private static string SafeFileName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        var clean = new string(file.Where(c => !char.IsControl(c)).ToArray());
        return string.IsNullOrWhiteSpace(clean) ? "download" : clean;
    }

    /// <summary>
    /// The name in printable ASCII for clients that ignore <c>filename*</c>: each other character (a whole
    /// surrogate pair too) becomes <c>_</c>. Not transliterated: the daemon runs with invariant globalization, where
    /// Unicode decomposition (é → e) is not available.
    /// </summary>
    private static string AsciiFallback(string name)
    {
        var fallback = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            fallback.Append(rune.Value is >= ' ' and <= '~' ? (char)rune.Value : '_');
        }

        return fallback.ToString();
    }

    /// <summary>RFC 5987 <c>value-chars</c>: attr-chars as they are, every other UTF-8 byte as <c>%XX</c>.</summary>
    private static string Rfc5987Encode(string name)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') ||
                "!#$&+-.^_`|~".Contains((char)b, StringComparison.Ordinal))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static bool IsPrintableAscii(char c) => c is >= ' ' and <= '~';
}
