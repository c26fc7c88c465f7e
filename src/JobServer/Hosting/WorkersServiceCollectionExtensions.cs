using JobServer.Workers;
using Microsoft.Extensions.Options;

namespace JobServer.Hosting;

/// <summary>Registers the worker processes of <c>[Job(Process = true)]</c> jobs: their pool and their runner.</summary>
internal static class WorkersServiceCollectionExtensions
{
    public static IServiceCollection AddWorkers(this IServiceCollection services)
    {
        services.AddOptions<WorkersOptions>().BindConfiguration(WorkersOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkersOptions>, WorkersOptionsValidator>();
        services.AddSingleton<WorkerLaunch>();
        services.AddSingleton<WorkerPool>();
        services.AddHostedService(provider => provider.GetRequiredService<WorkerPool>());
        services.AddSingleton<ProcessJobRunner>();
        return services;
    }
}

/// <summary>Refuses to start with a worker setting out of range, naming the setting and its bounds.</summary>
internal sealed class WorkersOptionsValidator : IValidateOptions<WorkersOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkersOptions options) =>
        options.IsValid(out var problem)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problem);
}
