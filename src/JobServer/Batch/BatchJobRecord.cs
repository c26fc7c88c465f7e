namespace JobServer.Batch;

/// <summary>One batch job as stored. Times are epoch milliseconds, so the schema is the same in any database.</summary>
internal sealed class BatchJobRecord
{
    /// <summary>Sequential, from the database: never random, never reused (the original's random ids collided).</summary>
    public long Id { get; set; }

    /// <summary>Who posted it: plain users see and cancel only their own jobs.</summary>
    public required string Owner { get; set; }

    public long CreatedAt { get; set; }

    public long? FinishAt { get; set; }

    /// <summary>Seconds from <see cref="CreatedAt"/>; null is the seed's "infinity".</summary>
    public long? Timeout { get; set; }

    public required string Status { get; set; }

    public int TotalCount { get; set; }

    public int FinishCount { get; set; }

    public int ErrorCount { get; set; }

    public List<BatchTaskRecord> Tasks { get; set; } = [];
}
