using JobServer.Events;
using JobServer.Jobs;
using JobServer.Jobs.Storage;
using JobServer.Sdk;

namespace JobServer.Cluster;

/// <summary>
/// Turns the rows the other nodes changed (read from the shared table, <see cref="PostgresJobChangeFeed"/>) into
/// the events this node's subscribers get: <c>added</c> for a job this node has not announced yet (also a
/// <c>changed</c> whose <c>added</c> it never saw), <c>changed</c> for one it has, nothing for a row whose document
/// it already announced (a row read again: reads overlap by design). The events are built from the rows, so they
/// agree with what <c>core.get_jobs</c> returns; a job's events come in the order of its changes, as successive
/// reads of a row only move forward — changes made between two reads arrive as one event with the later state.
/// </summary>
/// <remarks>
/// A read returns every row written by a transaction at or after the previous read's horizon (the oldest
/// transaction still open then: nothing older can commit later), so a finished job's entry can go once the horizon
/// passed its write — it will not be read again unless written again. Unfinished jobs' entries stay: their next
/// change is a <c>changed</c>.
/// </remarks>
internal sealed class JobChangeMerge
{
    private readonly Dictionary<long, Announced> _announced = [];
    private readonly Queue<(long Id, long Xid)> _finished = new();

    /// <summary>How many jobs' last documents are kept (unfinished ones, and finished ones above the horizon).</summary>
    public int Tracked => _announced.Count;

    /// <param name="rows">The rows changed since the previous horizon, in the order of their writes.</param>
    /// <param name="horizon">This read's horizon: every transaction before it had ended when it was taken.</param>
    public List<CollectionEvent> Merge(IReadOnlyList<ChangedJob> rows, long horizon)
    {
        var events = new List<CollectionEvent>(rows.Count);
        foreach (var (record, xid) in rows)
        {
            if (record.Transient)
            {
                continue;
            }

            var document = JobDocument.Encode(record);
            var kind = EventKind.Added;
            if (_announced.TryGetValue(record.Id, out var last))
            {
                if (last.Document.AsSpan().SequenceEqual(document))
                {
                    _announced[record.Id] = last with { Xid = xid };
                    continue;
                }

                kind = EventKind.Changed;
            }

            var finished = record.State is not ("WAITING" or "RUNNING");
            _announced[record.Id] = new Announced(document, xid, finished);
            if (finished)
            {
                _finished.Enqueue((record.Id, xid));
            }

            events.Add(JobDocument.ToEvent(JobManager.Collection, kind, record, document));
        }

        Forget(horizon);
        return events;
    }

    /// <summary>
    /// Drops jobs this node took over: their changes are its own from now on, never read back, so their entries
    /// would stay (unfinished) for good.
    /// </summary>
    public void Adopted(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            _announced.Remove(id);
        }
    }

    /// <summary>Drops finished jobs written before <paramref name="horizon"/>: no later read returns them.</summary>
    private void Forget(long horizon)
    {
        while (_finished.TryPeek(out var oldest) && oldest.Xid < horizon)
        {
            _finished.Dequeue();
            if (_announced.TryGetValue(oldest.Id, out var last) && last.Finished && last.Xid < horizon)
            {
                _announced.Remove(oldest.Id);
            }
        }
    }

    private sealed record Announced(byte[] Document, long Xid, bool Finished);
}

/// <summary>A job row another node wrote, with the id of the transaction that last wrote it.</summary>
internal sealed record ChangedJob(JobRecord Record, long Xid);
