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

    /// <summary>The most entries (files and folders) a published .NET folder's zip (<c>application/zip</c>) may hold.</summary>
    public int MaxZipEntries { get; set; } = 10_000;

    /// <summary>
    /// The most bytes a published .NET folder's zip may extract to (its entries' sizes together), so a small zip
    /// cannot fill the disk (a zip bomb); counted while extracting, not only from the sizes the zip declares.
    /// </summary>
    public long MaxZipUncompressedBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The largest job config (<c>POST /jobs</c> body) taken; 413 past it. A config is settings, not data.</summary>
    public int MaxConfigBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The server's job config (spark-jobserver's <c>job-config</c> under every job's): HOCON-subset or JSON
    /// text, merged under each posted config (posted keys win). Text, not a configuration section, so numbers and
    /// booleans keep their types and an environment variable can hold it. Merged over <see cref="JobConfigFile"/>.
    /// </summary>
    public string? JobConfig { get; set; }

    /// <summary>A file holding the server's job config (same syntax as <see cref="JobConfig"/>), read at start.</summary>
    public string? JobConfigFile { get; set; }

    /// <summary>
    /// How many times a job's callback is POSTed at most (first try included), across restarts. spark-jobserver
    /// makes 6 calls (akka <c>retry</c> with 5 attempts); so do we by default.
    /// </summary>
    public int CallbackAttempts { get; set; } = 6;

    /// <summary>The first back-off between callback attempts; it doubles each time, with jitter (Polly).</summary>
    public TimeSpan CallbackBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one callback attempt may take before it counts as failed.</summary>
    public TimeSpan CallbackAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When not empty, the only hosts (names or addresses, as written in the URL) a callback may target. Listing a
    /// loopback or link-local address here is also what permits it (they are refused otherwise).
    /// </summary>
    public string[] CallbackAllowedHosts { get; set; } = [];

    /// <summary>Hosts a callback may never target (names or addresses, as written in the URL).</summary>
    public string[] CallbackDeniedHosts { get; set; } = [];

    /// <summary>
    /// Whether a context created without <c>queue-when-full</c> queues a job when all its slots are taken (instead of
    /// spark's 503 <c>NO SLOTS AVAILABLE</c>, which stays the default).
    /// </summary>
    public bool ContextQueueWhenFull { get; set; }

    /// <summary>How many jobs a queueing context holds waiting beyond its slots; past it, 503 as without queueing.</summary>
    public int ContextMaxQueuedJobs { get; set; } = 10_000;

    /// <summary>Most contexts at once (each is a process); spark's users asked for such a cap (issue #650).</summary>
    public int MaxContexts { get; set; } = 32;

    /// <summary>
    /// How long <c>DELETE /contexts/&lt;name&gt;</c> waits for the stop before it answers 202 with <c>Location</c>
    /// (the stop goes on; the context shows <c>STOPPING</c> until it is gone).
    /// </summary>
    public TimeSpan ContextStopWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Contexts created at every start, by name, with their settings as <c>POST /contexts</c> takes them
    /// (<c>JobServer:Spark:Contexts:warm:max-jobs = 8</c>).
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Contexts { get; set; } = new(StringComparer.Ordinal);
}
