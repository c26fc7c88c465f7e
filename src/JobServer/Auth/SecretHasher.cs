using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace JobServer.Auth;

/// <summary>
/// Random secrets (tokens, API keys) and their hashes. The secrets carry 288 bits of entropy, so one round of
/// SHA-256 is enough to make a stolen table useless; a slow hash (as for passwords) would only cost every login.
/// </summary>
internal static class SecretHasher
{
    /// <summary>Bytes of randomness in a secret: 36 bytes are 48 URL-safe base64 characters.</summary>
    public const int SecretBytes = 36;

    /// <summary>A new random secret of 48 URL-safe characters (<c>A-Z a-z 0-9 - _</c>).</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).Replace('+', '-').Replace('/', '_');

    /// <summary>Lower-case hex SHA-256 of the secret's UTF-8 bytes.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether the secret hashes to <paramref name="expectedHash"/>, compared in constant time.</summary>
    /// <remarks>Allocation-free for secrets of ordinary length: an HTTP script's API key is checked on every request.</remarks>
    public static bool Matches(string secret, string expectedHash)
    {
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (Convert.FromHexString(expectedHash, expected, out _, out var written) != OperationStatus.Done ||
            written != expected.Length)
        {
            return false;
        }

        const int StackLimit = 256;
        var length = Encoding.UTF8.GetByteCount(secret);
        var rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            var bytes = rented is null ? stackalloc byte[StackLimit] : rented.AsSpan();
            bytes = bytes[..Encoding.UTF8.GetBytes(secret, bytes)];
            Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes, actual);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
