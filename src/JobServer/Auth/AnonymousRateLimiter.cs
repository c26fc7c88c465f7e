using System.Collections.Concurrent;
using System.Net;
using JobServer.Settings;

namespace JobServer.Auth;

/// <summary>
/// Limits what unauthenticated clients may call: at most <see cref="GeneralConfig.AnonymousRateLimit"/> calls of
/// one method per client address per window (middlewared's 20 per 60 s), so a client cannot guess passwords or
/// keys faster than that by opening more connections. A fixed window that starts at a key's first call, as
/// upstream's rate-limit cache does.
/// </summary>
internal sealed class AnonymousRateLimiter(TimeProvider time, GeneralSettings settings)
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<(string Address, string Method), Window> _windows = new();

    /// <summary>Counts a call; false when the caller is over the limit for the current window.</summary>
    public bool TryAcquire(IPAddress? address, string method) => TryAcquire(address, method, out _);

    /// <summary>As <see cref="TryAcquire(IPAddress?, string)"/>; when refused, <paramref name="retryAfter"/> is
    /// how long until the window ends.</summary>
    public bool TryAcquire(IPAddress? address, string method, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var config = settings.Current;
        if (config.AnonymousRateLimit <= 0)
        {
            return true;
        }

        var now = time.GetUtcNow().UtcTicks;
        var period = TimeSpan.FromSeconds(config.AnonymousRateWindowSeconds).Ticks;
        if (_windows.Count > SweepThreshold)
        {
            Sweep(now, period);
        }

        var key = (Normalize(address), method);
        var window = _windows.GetOrAdd(key, _ => new Window(now));
        return window.TryCount(now, period, config.AnonymousRateLimit, out retryAfter);
    }

    private void Sweep(long now, long period)
    {
        foreach (var (key, window) in _windows)
        {
            if (window.IsOver(now, period))
            {
                _windows.TryRemove(new KeyValuePair<(string, string), Window>(key, window));
            }
        }
    }

    private static string Normalize(IPAddress? address) =>
        address is null ? "" : ClientAddress.Canonical(address).ToString();

    private sealed class Window(long startTicks)
    {
        private readonly Lock _lock = new();
        private long _startTicks = startTicks;
        private int _calls;

        public bool IsOver(long now, long period)
        {
            lock (_lock)
            {
                return now - _startTicks >= period;
            }
        }

        public bool TryCount(long now, long period, int limit, out TimeSpan retryAfter)
        {
            lock (_lock)
            {
                if (now - _startTicks >= period)
                {
                    _startTicks = now;
                    _calls = 0;
                }

                _calls++;
                retryAfter = TimeSpan.FromTicks(_startTicks + period - now);
                return _calls <= limit;
            }
        }
    }
}
