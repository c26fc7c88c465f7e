using System.Collections.Concurrent;

namespace JobServer.Bench.Infrastructure;

/// <summary>
/// Collects, across many subscribed connections, when each saw a job's SUCCESS event: how many did, and the
/// first and last arrival (Stopwatch timestamps), plus the job's <c>time_finished</c> as the server sent it.
/// </summary>
internal sealed class FanOutTracker
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();

    public sealed class Entry
    {
        private long _first = long.MaxValue;
        private long _last;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public long First => Interlocked.Read(ref _first);

        public long Last => Interlocked.Read(ref _last);

        public long? TimeFinishedMs { get; set; }

        public void Add(long at)
        {
            long seen;
            while (at < (seen = Interlocked.Read(ref _first)) && Interlocked.CompareExchange(ref _first, at, seen) != seen)
            {
            }

            while (at > (seen = Interlocked.Read(ref _last)) && Interlocked.CompareExchange(ref _last, at, seen) != seen)
            {
            }

            Interlocked.Increment(ref _count);
        }
    }

    public void Record(DdpEvent e)
    {
        if (e.Collection == "core.get_jobs" && e.State == "SUCCESS" && e.Id >= 0)
        {
            var entry = _entries.GetOrAdd(e.Id, _ => new Entry());
            entry.TimeFinishedMs ??= e.TimeFinishedMs;
            entry.Add(e.ReceivedAt);
        }
    }

    public Entry For(long jobId) => _entries.GetOrAdd(jobId, _ => new Entry());
}
