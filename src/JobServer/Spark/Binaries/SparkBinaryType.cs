namespace JobServer.Spark.Binaries;

/// <summary>
/// What kind of job binary an upload is, from its Content-Type (spark-jobserver's <c>BinaryType.fromMediaType</c>,
/// plus the .NET kinds), and the signature its first bytes must carry.
/// </summary>
internal enum SparkBinaryType
{
    Jar,
    Egg,
    Wheel,

    /// <summary>A .NET job assembly (a portable executable: <c>MZ</c>).</summary>
    Dll,

    /// <summary>A zipped published .NET folder (the job assembly and its dependencies).</summary>
    Zip,
}

/// <summary>Content-Type and signature rules of <see cref="SparkBinaryType"/>.</summary>
internal static class SparkBinaryTypes
{
    private static readonly byte[] ZipSignature = "PK\u0003\u0004"u8.ToArray();
    private static readonly byte[] PortableExecutableSignature = "MZ"u8.ToArray();

    /// <summary>The type a Content-Type names (parameters such as <c>; charset</c> ignored), or null (415).</summary>
    public static SparkBinaryType? FromMediaType(string? contentType)
    {
        var media = contentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        return media switch
        {
            "application/java-archive" => SparkBinaryType.Jar,
            "application/python-wheel" => SparkBinaryType.Wheel,
            // python-archive is spark-jobserver's deprecated name for an egg; it also takes it without "application/".
            "application/python-egg" or "application/python-archive" or "python-archive" => SparkBinaryType.Egg,
            "application/vnd.microsoft.portable-executable" or "application/x-msdownload" or
                "application/octet-stream" => SparkBinaryType.Dll,
            "application/zip" or "application/x-zip-compressed" => SparkBinaryType.Zip,
            _ => null,
        };
    }

    /// <summary>How many leading bytes <see cref="HasSignature"/> needs.</summary>
    public const int SignatureLength = 4;

    /// <summary>
    /// Whether the file starts as its type must: every archive kind is a zip (<c>PK\3\4</c>), a .NET assembly a PE
    /// file (<c>MZ</c>). More is checked when a job loads it; this refuses what is plainly something else (400).
    /// </summary>
    public static bool HasSignature(SparkBinaryType type, ReadOnlySpan<byte> head) => type switch
    {
        SparkBinaryType.Dll => head.StartsWith(PortableExecutableSignature),
        _ => head.StartsWith(ZipSignature),
    };
}
