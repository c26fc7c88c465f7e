namespace JobServer.Spark.Storage;

/// <summary>
/// One uploaded version of a Spark job binary. A name's versions are its rows; the newest (highest id) is what
/// <c>GET /binaries/&lt;name&gt;</c> shows and what a new job takes. The file on disk is named after the row's
/// <see cref="FileName"/> (a fresh GUID), never after the caller's name, so no name can reach outside the root.
/// </summary>
internal sealed class SparkBinaryRecord
{
    public long Id { get; set; }

    /// <summary>The name it was uploaded under (<c>POST /binaries/&lt;name&gt;</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>A <see cref="Binaries.SparkBinaryType"/> name: Jar, Egg, Wheel, Dll or Zip.</summary>
    public string BinaryType { get; set; } = "";

    /// <summary>Milliseconds since the Unix epoch (a plain integer: portable to PostgreSQL, ordered in SQL).</summary>
    public long UploadedAtMs { get; set; }

    /// <summary>The file's name inside the binaries folder of the data directory.</summary>
    public string FileName { get; set; } = "";

    public long SizeBytes { get; set; }
}
