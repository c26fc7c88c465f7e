using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace JobServer.Auth;

/// <summary>
/// Counts failed sign-ins per account and per client address, over every door and method, and makes each side back
/// off once it has used its free failures: the next failure blocks it for <c>FirstBackoffSeconds</c>, each further
/// one doubles that, up to <c>LockoutSeconds</c> (the lock-out window). The probe of issue 12 answered 1,200 wrong
/// passwords at 30/s and took the right one right after; this bounds a guesser to a handful per window.
/// A success forgives the account (not the address: a guesser with one account of its own must not reset its
/// address's budget by signing in to it between guesses). Failures are forgotten a lock-out window after the last
/// back-off ended, so a blocked address or account is never blocked beyond the window it earned.
/// </summary>
internal sealed class SignInThrottle(IOptions<AuthOptions> options, TimeProvider time)
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<string, FailureRecord> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailureRecord> _addresses = new(StringComparer.Ordinal);

    /// <summary>How long the account or the address must still wait, or null when a sign-in may be tried.</summary>
    /// <param name="account">The account a password is tried for; null for credentials that name none.</param>
    public TimeSpan? RetryAfter(string? account, IPAddress? address)
    {
        var now = time.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (account is not null && _accounts.TryGetValue(account, out var forAccount))
        {
            wait = forAccount.Remaining(now);
        }

        if (_addresses.TryGetValue(ClientAddress.ThrottleKey(address), out var forAddress))
        {
            var addressWait = forAddress.Remaining(now);
            wait = addressWait > wait ? addressWait : wait;
        }

        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a failure; returns the back-off it started (the longer of the two), if any.</summary>
    public TimeSpan? RecordFailure(string? account, IPAddress? address)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        SweepIfLarge(now, settings);
        TimeSpan? accountBackoff = null;
        if (account is not null)
        {
            // Counted whether or not the account exists, so a lock-out does not tell which usernames are real.
            accountBackoff = _accounts.GetOrAdd(account, _ => new FailureRecord())
                .Fail(now, settings.AccountFailuresBeforeBackoff, settings);
        }

        var addressBackoff = _addresses.GetOrAdd(ClientAddress.ThrottleKey(address), _ => new FailureRecord())
            .Fail(now, settings.AddressFailuresBeforeBackoff, settings);
        return accountBackoff > addressBackoff || addressBackoff is null ? accountBackoff : addressBackoff;
    }

    public void RecordSuccess(string? account)
    {
        if (account is not null)
        {
            _accounts.TryRemove(account, out _);
        }
    }

    /// <summary>Accounts and addresses remembered (for tests and the memory bound).</summary>
    public int Count => _accounts.Count + _addresses.Count;

    private void SweepIfLarge(DateTimeOffset now, AuthOptions settings)
    {
        var window = TimeSpan.FromSeconds(settings.LockoutSeconds);
        foreach (var table in (ConcurrentDictionary<string, FailureRecord>[])[_accounts, _addresses])
        {
            if (table.Count <= SweepThreshold)
            {
                continue;
            }

            foreach (var (key, record) in table)
            {
                if (record.IsForgotten(now, window))
                {
                    table.TryRemove(new KeyValuePair<string, FailureRecord>(key, record));
                }
            }
        }
    }

    /// <summary>One account's or address's failures and how long it is blocked.</summary>
    private sealed class FailureRecord
    {
        private readonly Lock _lock = new();
        private int _failures;
        private DateTimeOffset _lastFailure;
        private DateTimeOffset _blockedUntil;

        public TimeSpan Remaining(DateTimeOffset now)
        {
            lock (_lock)
            {
                return _blockedUntil > now ? _blockedUntil - now : TimeSpan.Zero;
            }
        }

        public bool IsForgotten(DateTimeOffset now, TimeSpan window)
        {
            lock (_lock)
            {
                return now >= Later(_lastFailure, _blockedUntil) + window;
            }
        }

        public TimeSpan? Fail(DateTimeOffset now, int freeFailures, AuthOptions settings)
        {
            var window = TimeSpan.FromSeconds(settings.LockoutSeconds);
            lock (_lock)
            {
                if (now >= Later(_lastFailure, _blockedUntil) + window)
                {
                    _failures = 0;
                }

                _failures++;
                _lastFailure = now;
                var beyond = _failures - freeFailures;
                if (beyond <= 0)
                {
                    return null;
                }

                var backoff = Backoff(beyond, settings.FirstBackoffSeconds, window);
                _blockedUntil = now + backoff;
                return backoff;
            }
        }

        /// <summary>first × 2^(n−1), capped at the window (and computed without overflowing).</summary>
        private static TimeSpan Backoff(int beyond, int firstSeconds, TimeSpan window)
        {
            var doublings = Math.Min(beyond - 1, 30);
            var seconds = firstSeconds * (double)(1L << doublings);
            return seconds >= window.TotalSeconds ? window : TimeSpan.FromSeconds(seconds);
        }

        private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
