namespace JobServer.Spark;

/// <summary>The spark-jobserver dialect's settings (<c>JobServer:Spark</c>; docs/spark.md).</summary>
internal sealed class SparkOptions
{
    public const string Section = "JobServer:Spark";

    /// <summary>
    /// The largest binary <c>POST /binaries/&lt;name&gt;</c> takes (413 past it). spark-jobserver's 30 MB default
    /// was its users' most common complaint (issues #294, #462, #707), so ours is larger; bodies stream to disk.
    /// </summary>
    public long MaxBinaryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>The largest job config (<c>POST /jobs</c> body) taken; 413 past it. A config is settings, not data.</summary>
    public int MaxConfigBytes { get; set; } = 1024 * 1024;
}
