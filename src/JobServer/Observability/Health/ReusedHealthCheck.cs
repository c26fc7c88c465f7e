using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace JobServer.Observability.Health;

/// <summary>
/// A readiness probe that runs at most once at a time and whose answer is reused for
/// <see cref="HealthOptions.ReuseMilliseconds"/>: the endpoints are anonymous, so however many probes arrive, the
/// database sees at most one probe per interval (registered as a singleton so the answer survives requests).
/// </summary>
internal abstract class ReusedHealthCheck(IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HealthCheckResult _last;
    private long? _probedAt;

    /// <summary>The settings, for the probes.</summary>
    protected HealthOptions Options { get; } = options.Value;

    /// <summary>The daemon's clock, for the probes' own timeouts.</summary>
    protected TimeProvider Time { get; } = time;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_probedAt is { } at && Time.GetElapsedTime(at).TotalMilliseconds < Options.ReuseMilliseconds)
            {
                return _last;
            }

            _last = await ProbeAsync(cancellationToken);
            _probedAt = Time.GetTimestamp();
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks once. Descriptions are fixed sentences: the body is anonymous, so no paths or errors.</summary>
    protected abstract Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken);

    public void Dispose()
    {
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}
