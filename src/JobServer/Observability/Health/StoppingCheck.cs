using JobServer.Lifecycle;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JobServer.Observability.Health;

/// <summary>Not ready once a graceful stop began, so a load balancer stops sending work while running jobs end.</summary>
internal sealed class StoppingCheck(StopSignal signal) : IHealthCheck
{
    public const string Name = "stopping";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(signal.IsStopping
            ? HealthCheckResult.Unhealthy("the daemon is stopping")
            : HealthCheckResult.Healthy("the daemon is running"));
}
