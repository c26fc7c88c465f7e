using System.Collections.Concurrent;

namespace JobServer.Spark.Binaries;

/// <summary>
/// The current version of each binary name, remembered so that a <c>POST /jobs</c> does not query
/// <c>spark_binaries</c> (a profile of scenario 12 put that query at 14 % of the daemon's CPU). A version itself
/// never changes (its file is named by GUID); what changes is which version is current, and only through
/// <see cref="SparkBinaryStore"/>'s upload and delete, which <see cref="Forget"/> the name once their change has
/// committed.
/// </summary>
/// <remarks>
/// On SQLite the daemon is the only writer of its <c>spark.db</c>, so an entry is exact until forgotten. On
/// PostgreSQL <c>spark_binaries</c> is shared by every node, and another node's upload or delete is not heard
/// here: an entry is then trusted for <see cref="SharedMaxAge"/> only, so a submit on this node sees another
/// node's change within that time, as if it had been sent a moment earlier. Only names that exist are
/// remembered (an unknown name is not worth keeping), and at most <see cref="MaxNames"/> of them.
/// </remarks>
internal sealed class SparkCurrentVersions(TimeProvider time, bool shared)
{
    /// <summary>How long an entry is trusted when another daemon may change the table (PostgreSQL).</summary>
    public static readonly TimeSpan SharedMaxAge = TimeSpan.FromSeconds(1);

    /// <summary>Bounds the memory: past it, everything is forgotten and relearned (names are few in practice).</summary>
    private const int MaxNames = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();
    private long _generation;

    /// <summary>
    /// Taken before a lookup of the store; <see cref="Remember"/> keeps its answer only when no
    /// <see cref="Forget"/> came in between (the lookup may have read the row an upload just replaced).
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The remembered current version of <paramref name="name"/>, when there is one still trusted.</summary>
    public bool TryGet(string name, out SparkBinaryInfo binary)
    {
        if (_entries.TryGetValue(name, out var entry) && (!shared || time.GetElapsedTime(entry.Since) < SharedMaxAge))
        {
            binary = entry.Binary;
            return true;
        }

        binary = null!;
        return false;
    }

    /// <summary>Keeps what a lookup that started at <paramref name="generation"/> found, unless a change came since.</summary>
    public void Remember(SparkBinaryInfo binary, long generation)
    {
        ArgumentNullException.ThrowIfNull(binary);
        lock (_writes)
        {
            if (generation != _generation)
            {
                return;
            }

            if (_entries.Count >= MaxNames)
            {
                _entries.Clear();
            }

            _entries[binary.Name] = new Entry(binary, time.GetTimestamp());
        }
    }

    /// <summary>An upload or delete of <paramref name="name"/> committed: the next lookup asks the store.</summary>
    public void Forget(string name)
    {
        lock (_writes)
        {
            _generation++;
            _entries.TryRemove(name, out _);
        }
    }

    private sealed record Entry(SparkBinaryInfo Binary, long Since);
}
