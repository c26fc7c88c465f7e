using JobServer.Jobs.Storage;
using JobServer.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JobServer.Observability.Health;

/// <summary>
/// Ready only once both schemas (the application's and the jobs table's) have every migration this build knows.
/// Start-up applies them before Kestrel listens, so this fails only for a database replaced behind the daemon's
/// back; once seen complete it is not asked again (migrations are never undone).
/// </summary>
internal sealed class MigrationsCheck(
    IDbContextFactory<JobServerDbContext> application, IDbContextFactory<JobStoreDbContext> jobs) : IHealthCheck
{
    public const string Name = "migrations";

    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        if (!_applied)
        {
            await using var app = await application.CreateDbContextAsync(cancellationToken);
            await using var store = await jobs.CreateDbContextAsync(cancellationToken);
            var pending = (await app.Database.GetPendingMigrationsAsync(cancellationToken)).Count() +
                          (await store.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0)
            {
                return HealthCheckResult.Unhealthy("database migrations are not applied");
            }

            _applied = true;
        }

        return HealthCheckResult.Healthy("database migrations are applied");
    }
}
