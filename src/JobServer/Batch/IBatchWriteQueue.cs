namespace JobServer.Batch;

/// <summary>Where <see cref="BatchLedger"/> queues its changes: <see cref="BatchWriter"/> (a fake in unit tests).</summary>
internal interface IBatchWriteQueue
{
    /// <summary>Queues a change without waiting; the task completes once it is stored and published.</summary>
    Task Queue(BatchWrite write);
}
