namespace JobServer.Batch;

/// <summary>The <c>JobServer:Batch</c> section: limits of the batch-job API (issue 16).</summary>
internal sealed class BatchOptions
{
    public const string Section = "JobServer:Batch";

    /// <summary>
    /// Extra listeners (<c>;</c>-separated URLs, such as <c>http://127.0.0.1:8091</c>) that also serve the routes
    /// without the <c>/batch</c> prefix: the seed's literal <c>/jobs</c> paths. Read at start.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>At most this many tasks (batch entries × destinations) in one job: a bounded POST.</summary>
    public int MaxTasksPerJob { get; set; } = 10_000;

    /// <summary>The largest POST body accepted, in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The largest job timeout, in seconds (30 days); no timeout means "infinity", as in the seed.</summary>
    public long MaxTimeoutSeconds { get; set; } = 30L * 24 * 3600;

    /// <summary>The page size of <c>GET /batch/jobs</c> when <c>limit</c> is not given, and its largest value.</summary>
    public int DefaultPageSize { get; set; } = 50;

    public int MaxPageSize { get; set; } = 500;

    public bool IsValid => MaxTasksPerJob >= 1 && MaxBodyBytes >= 1024 && MaxTimeoutSeconds >= 1 &&
                           DefaultPageSize >= 1 && MaxPageSize >= DefaultPageSize;
}
