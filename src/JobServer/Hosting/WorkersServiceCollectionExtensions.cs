using JobServer.Workers;

namespace JobServer.Hosting;

/// <summary>Registers the worker processes of <c>[Job(Process = true)]</c> jobs: their pool and their runner.</summary>
internal static class WorkersServiceCollectionExtensions
{
    public static IServiceCollection AddWorkers(this IServiceCollection services)
    {
        services.AddOptions<WorkersOptions>().BindConfiguration(WorkersOptions.Section)
            .Validate(o => o.IsValid(out _), "JobServer:Workers settings are out of range")
            .ValidateOnStart();
        services.AddSingleton<WorkerLaunch>();
        services.AddSingleton<WorkerPool>();
        services.AddHostedService(provider => provider.GetRequiredService<WorkerPool>());
        services.AddSingleton<ProcessJobRunner>();
        return services;
    }
}
