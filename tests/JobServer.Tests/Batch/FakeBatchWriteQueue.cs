using JobServer.Batch;

namespace JobServer.Tests.Batch;

/// <summary>Records what the ledger queues, in order; each write counts as stored at once.</summary>
internal sealed class FakeBatchWriteQueue : IBatchWriteQueue
{
    public List<BatchWrite> Writes { get; } = [];

    public Task Queue(BatchWrite write)
    {
        Writes.Add(write);
        write.Succeed();
        return write.Committed;
    }
}
