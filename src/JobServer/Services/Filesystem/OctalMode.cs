using JobServer.Sdk.Errors;

namespace JobServer.Services.Filesystem;

/// <summary>Parses upstream's permission strings (<c>"755"</c>, <c>"0640"</c>) into <see cref="UnixFileMode"/>.</summary>
internal static class OctalMode
{
    /// <summary>The mode, or null when none was given.</summary>
    /// <exception cref="ValidationException">Not 3 or 4 octal digits, or beyond 07777.</exception>
    public static UnixFileMode? Parse(string? text, string attribute)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length is < 3 or > 4 || !text.All(c => c is >= '0' and <= '7'))
        {
            throw new ValidationException(attribute, $"'{text}' is not an octal mode such as \"755\"", Errno.EINVAL);
        }

        return (UnixFileMode)Convert.ToInt32(text, 8);
    }
}
