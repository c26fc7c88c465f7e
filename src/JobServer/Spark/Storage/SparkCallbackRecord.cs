namespace JobServer.Spark.Storage;

/// <summary>
/// One job's callback in the outbox (<c>spark_callbacks</c>): written before <c>POST /jobs</c> answers, so a
/// daemon restart between attempts still delivers; the attempts made and the last error are what the job's
/// report shows.
/// </summary>
internal sealed class SparkCallbackRecord
{
    /// <summary>The engine's job id (the key: one callback per job).</summary>
    public long JobId { get; set; }

    public string Url { get; set; } = "";

    public int Attempts { get; set; }

    public bool Delivered { get; set; }

    /// <summary>Why the last attempt failed (a status code or a transport error, never the payload).</summary>
    public string? LastError { get; set; }

    /// <summary>Nothing more will be tried: delivered, the budget spent, or the job was killed.</summary>
    public bool Done { get; set; }
}

/// <summary>The outbox's column bounds.</summary>
internal static class SparkCallbackRecordLimits
{
    /// <summary>The longest callback URL taken (400 past it).</summary>
    public const int MaxUrlLength = 2048;

    public const int MaxErrorLength = 512;
}
