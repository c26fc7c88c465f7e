using JobServer.Storage.Backup;

namespace JobServer.Services.Config;

/// <summary>Registers what <c>config.save</c> / <c>config.upload</c> need (the service itself is discovered).</summary>
internal static class ConfigServiceCollectionExtensions
{
    public static IServiceCollection AddConfigBackup(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseBackups>();
        services.AddSingleton<ConfigReloader>();
        services.AddSingleton<ConfigRestorer>();
        return services;
    }
}
