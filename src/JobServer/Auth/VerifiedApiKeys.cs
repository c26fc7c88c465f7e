using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace JobServer.Auth;

/// <summary>
/// API keys read from the database in the last few seconds, so a script that sends its key with every HTTP request
/// costs a SHA-256 and a dictionary lookup instead of two database reads. What a key is worth is still decided on
/// every use: the secret against the hash, revocation, expiry against the clock, and the owner's account version
/// (an owner locked, demoted or deleted since the read misses the cache). <c>api_key.update</c> and
/// <c>api_key.delete</c> forget a key at once, on every node of a cluster (<see cref="Forgotten"/>);
/// <see cref="AuthOptions.ApiKeyCacheSeconds"/> bounds how long a change made outside the daemons (an offline tool)
/// can go unseen.
/// </summary>
internal sealed class VerifiedApiKeys(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Keys held at most; past it a read is simply not remembered (the cache is an optimisation).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(options.Value.ApiKeyCacheSeconds);

    // Bumped by every Forget: a read that began before a key was changed must not put the old row back.
    private long _generation;

    /// <summary>What a read must show to <see cref="Remember"/> to be kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The key as read at most <see cref="AuthOptions.ApiKeyCacheSeconds"/> ago.</summary>
    public bool TryGet(long keyId, [NotNullWhen(true)] out VerifiedApiKey? key)
    {
        if (_entries.TryGetValue(keyId, out var entry) && time.GetUtcNow() < entry.ReadAt + _lifetime)
        {
            key = entry.Key;
            return true;
        }

        key = null;
        return false;
    }

    /// <summary>Keeps a key read while <see cref="Generation"/> was <paramref name="generation"/>, if it still is.</summary>
    public void Remember(VerifiedApiKey key, long generation)
    {
        var id = key.Row.Id;
        if (_lifetime <= TimeSpan.Zero || (_entries.Count >= Capacity && !_entries.ContainsKey(id)))
        {
            return;
        }

        _entries[id] = new Entry(key, time.GetUtcNow());
        // Forgotten while it was being read: the row may be the one before the change.
        if (Generation != generation)
        {
            _entries.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Raised by <see cref="Forget"/>: a key was changed here, so the other nodes of a cluster must forget it too
    /// (<c>Cluster/PeerConfigRelay</c>).
    /// </summary>
    public event Action<long>? Forgotten;

    /// <summary>A key was changed or deleted here: its next use reads the database, on every node.</summary>
    public void Forget(long keyId)
    {
        ForgetHere(keyId);
        Forgotten?.Invoke(keyId);
    }

    /// <summary>A key was changed or deleted elsewhere (another node): its next use here reads the database.</summary>
    public void ForgetHere(long keyId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(keyId, out _);
    }

    /// <summary>Changes may have gone unheard (a lost connection to the other nodes): every next use reads.</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private sealed record Entry(VerifiedApiKey Key, DateTimeOffset ReadAt);
}
