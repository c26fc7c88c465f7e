namespace JobServer.Batch;

/// <summary>
/// One task (a batch entry for one destination) as stored: the Sanji message (<c>method</c>, <c>resource</c>,
/// <c>data</c>) with its destination and its <c>__task</c> state.
/// </summary>
internal sealed class BatchTaskRecord
{
    public long Id { get; set; }

    public long JobId { get; set; }

    public BatchJobRecord? Job { get; set; }

    public required string Method { get; set; }

    public required string Resource { get; set; }

    /// <summary>The request body as JSON text, or null when the entry had none.</summary>
    public string? Data { get; set; }

    public required string Destination { get; set; }

    public long CreatedAt { get; set; }

    public long? FinishAt { get; set; }

    public long? Timeout { get; set; }

    public required string Status { get; set; }

    public int Progress { get; set; }

    /// <summary>The task's result as JSON text (the device's status and body), or null.</summary>
    public string? Result { get; set; }
}
