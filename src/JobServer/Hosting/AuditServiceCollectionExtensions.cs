using JobServer.Audit;

namespace JobServer.Hosting;

/// <summary>The audit log (<see cref="AuditLog"/>) and the writer that stores it in the <c>audit</c> table.</summary>
internal static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => o.IsValid, "JobServer:Audit settings must be at least 1 (RetentionDays, MaxRows, QueueCapacity)")
            .ValidateOnStart();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RepeatedSignIns>();
        services.AddHostedService<AuditWriter>();
        return services;
    }
}
