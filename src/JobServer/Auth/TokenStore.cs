using System.Collections.Concurrent;
using System.Net;

namespace JobServer.Auth;

/// <summary>
/// Authentication tokens (<c>auth.generate_token</c>), kept in memory as upstream does, by the SHA-256 hash of the
/// token so a memory dump does not hand them out. A token's ttl is a sliding inactivity timeout (reference §7):
/// every use, and every call of a session signed in with it, pushes its expiry back. The store of one daemon; the
/// nodes of a cluster share theirs in the database (<see cref="ITokenStore"/>).
/// </summary>
internal sealed class TokenStore(TimeProvider time) : ITokenStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public int Count => _tokens.Count;

    /// <summary>Makes a token for <paramref name="info"/>; returns the token itself (only its hash is kept).</summary>
    public string Generate(TokenInfo info)
    {
        SweepExpired();
        var token = SecretHasher.NewSecret();
        _tokens[SecretHasher.Hash(token)] = new Entry(info, time.GetUtcNow().UtcTicks);
        return token;
    }

    /// <summary>
    /// Validates a token presented from <paramref name="origin"/> and uses it: a single-use token is destroyed,
    /// another's inactivity timeout starts again. False when it is unknown, expired or bound to another address.
    /// </summary>
    /// <param name="accept">Checked before the token is used up: a token for something else (a download token
    /// presented as a login, another job's token) is refused and stays as it was.</param>
    public bool TryUse(string token, IPAddress? origin, Func<TokenInfo, bool>? accept, out TokenInfo info,
        out string tokenHash)
    {
        info = null!;
        tokenHash = SecretHasher.Hash(token);
        if (!_tokens.TryGetValue(tokenHash, out var entry))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcTicks;
        if (entry.IsExpired(now))
        {
            _tokens.TryRemove(new KeyValuePair<string, Entry>(tokenHash, entry));
            return false;
        }

        if (!MayUse(entry.Info, origin) || (accept is not null && !accept(entry.Info)))
        {
            return false;
        }

        // Only one of two racing uses of a single-use token wins the removal.
        if (entry.Info.SingleUse && !_tokens.TryRemove(new KeyValuePair<string, Entry>(tokenHash, entry)))
        {
            return false;
        }

        entry.Touch(now);
        info = entry.Info;
        return true;
    }

    /// <summary>Validates and uses a token of any kind (see the full overload).</summary>
    public bool TryUse(string token, IPAddress? origin, out TokenInfo info) =>
        TryUse(token, origin, accept: null, out info, out _);

    /// <summary>
    /// Validates and uses a download token: one made with <c>attrs.job</c> equal to <paramref name="jobId"/>.
    /// For the transfer endpoints (<c>/_download/{job_id}?auth_token=…</c>).
    /// </summary>
    public bool TryUseForJob(string token, IPAddress? origin, long jobId, out TokenInfo info) =>
        TryUse(token, origin, accept: candidate => candidate.IsForJob(jobId), out info, out _);

    /// <summary>Pushes back the expiry of a token a session signed in with (it is in use).</summary>
    public void NotifyUsed(string tokenHash)
    {
        if (_tokens.TryGetValue(tokenHash, out var entry))
        {
            entry.Touch(time.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>Destroys the tokens a session made (on its logout or termination).</summary>
    public int RevokeCreatedBy(string sessionId) => RevokeWhere(info => info.CreatorSessionId == sessionId);

    /// <summary>Destroys the tokens of an account (when it is deleted).</summary>
    public int RevokeUser(string username) => RevokeWhere(info => info.Username == username);

    Task<string> ITokenStore.GenerateAsync(TokenInfo info, CancellationToken cancellationToken) =>
        Task.FromResult(Generate(info));

    Task<TokenUse?> ITokenStore.TryUseAsync(string token, IPAddress? origin, Func<TokenInfo, bool>? accept,
        CancellationToken cancellationToken) =>
        Task.FromResult(TryUse(token, origin, accept, out var info, out var hash) ? new TokenUse(info, hash) : null);

    Task<int> ITokenStore.RevokeCreatedByAsync(string sessionId) => Task.FromResult(RevokeCreatedBy(sessionId));

    Task<int> ITokenStore.RevokeUserAsync(string username) => Task.FromResult(RevokeUser(username));

    private int RevokeWhere(Func<TokenInfo, bool> predicate)
    {
        var removed = 0;
        foreach (var (hash, entry) in _tokens)
        {
            if (predicate(entry.Info) && _tokens.TryRemove(new KeyValuePair<string, Entry>(hash, entry)))
            {
                removed++;
            }
        }

        return removed;
    }

    private void SweepExpired()
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now - last < SweepInterval.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now, last) != last)
        {
            return;
        }

        foreach (var (hash, entry) in _tokens)
        {
            if (entry.IsExpired(now))
            {
                _tokens.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
            }
        }
    }

    /// <summary>Whether a token may be used from <paramref name="origin"/>: any address, or the one it is bound to.</summary>
    public static bool MayUse(TokenInfo info, IPAddress? origin) =>
        info.Origin is not { } bound || SameAddress(bound, origin);

    private static bool SameAddress(IPAddress bound, IPAddress? origin) =>
        origin is not null && ClientAddress.Canonical(bound).Equals(ClientAddress.Canonical(origin));

    private sealed class Entry(TokenInfo info, long lastUsedTicks)
    {
        private long _lastUsedTicks = lastUsedTicks;

        public TokenInfo Info { get; } = info;

        public bool IsExpired(long nowTicks) => nowTicks >= Interlocked.Read(ref _lastUsedTicks) + Info.Ttl.Ticks;

        public void Touch(long nowTicks) => Interlocked.Exchange(ref _lastUsedTicks, nowTicks);
    }
}
