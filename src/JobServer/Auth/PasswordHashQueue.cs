using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace JobServer.Auth;

/// <summary>
/// Where every PBKDF2 computation of the running daemon waits its turn: at most one less than the processor count
/// run at once (a core always stays free for everything else), a bounded number wait, and the rest are refused at
/// once. Issue 12's probe sent 200 parallel guesses (each 210,000 iterations) and a signed-in connection's
/// <c>core.ping</c> took 10-12 s; now a storm of sign-ins queues here, not on every core.
/// </summary>
internal sealed class PasswordHashQueue : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly int _concurrency;
    private readonly int _queueLimit;
    private long _averageTicks;

    public PasswordHashQueue(IOptions<AuthOptions> options, TimeProvider time)
    {
        _time = time;
        _concurrency = options.Value.EffectiveHashConcurrency;
        _queueLimit = options.Value.PasswordHashQueueLimit;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _concurrency,
            QueueLimit = _queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Hashes running and waiting now.</summary>
    public long Pending
    {
        get
        {
            var statistics = _limiter.GetStatistics();
            return statistics is null ? 0 : statistics.CurrentQueuedCount + (_concurrency - statistics.CurrentAvailablePermits);
        }
    }

    /// <summary>
    /// A slot to hash in (dispose it when done), waiting for one if the queue has room; null when it is full.
    /// </summary>
    public async ValueTask<Slot?> TryEnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return null;
        }

        return new Slot(this, lease, _time.GetTimestamp());
    }

    /// <summary>
    /// Hashes a new password in a slot (<c>user.create</c>, <c>user.update</c>): an admin's calls wait their turn like
    /// sign-ins, and are refused with the rate-limit error when the queue is full.
    /// </summary>
    public async Task<string> HashAsync(string password, int iterations, CancellationToken cancellationToken)
    {
        using var slot = await TryEnterAsync(cancellationToken) ?? throw RateLimitExceeded.Error(EstimatedDrain());
        return PasswordHasher.Hash(password, iterations);
    }

    /// <summary>
    /// When a refused caller should try again: the time the queue takes to drain at the hash rate seen so far
    /// (at least a second, the unit of <c>Retry-After</c>).
    /// </summary>
    public TimeSpan EstimatedDrain()
    {
        var average = TimeSpan.FromTicks(Interlocked.Read(ref _averageTicks));
        var rounds = (double)(_queueLimit + _concurrency) / _concurrency;
        var drain = average * rounds;
        return drain > TimeSpan.FromSeconds(1) ? drain : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter.Dispose();

    private void Completed(long startedAt)
    {
        var ticks = _time.GetElapsedTime(startedAt).Ticks;
        // An exponential moving average (1/8 weight): follows a change of iterations or load within a few hashes.
        var previous = Interlocked.Read(ref _averageTicks);
        Interlocked.Exchange(ref _averageTicks, previous == 0 ? ticks : previous + ((ticks - previous) / 8));
    }

    /// <summary>A held hash slot.</summary>
    internal sealed class Slot(PasswordHashQueue queue, RateLimitLease lease, long startedAt) : IDisposable
    {
        public void Dispose()
        {
            queue.Completed(startedAt);
            lease.Dispose();
        }
    }
}
